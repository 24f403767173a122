// Tensors: lifetime, creation, data transfer, element-wise ops, reductions, shape and indexing.
// Op families share one entry point with an op code (see TensorOps.cs for the managed names) so the
// C ABI stays narrow: adding an op is one case here and one enum member there.
#include "rh_common.h"

#include <cstring>

namespace rh {
static thread_local std::string last_error;
static thread_local bool has_error = false;

void set_error(const char* message) {
    last_error = message ? message : "unknown error";
    has_error = true;
}
}  // namespace rh

// ---- errors and lifetime ---------------------------------------------------------------------

// Copies the pending error message (if any) into buffer and clears it. Returns the full message
// length, 0 when no error is pending.
RH_API int64_t rh_take_error(char* buffer, int64_t capacity) {
    if (!rh::has_error) return 0;
    const auto length = static_cast<int64_t>(rh::last_error.size());
    if (buffer != nullptr && capacity > 0) {
        const auto n = std::min(length, capacity - 1);
        std::memcpy(buffer, rh::last_error.data(), static_cast<size_t>(n));
        buffer[n] = '\0';
    }
    rh::has_error = false;
    rh::last_error.clear();
    return length;
}

RH_API void rh_tensor_free(rh_tensor t) { delete t; }

// ---- creation ---------------------------------------------------------------------------------

// Copies count elements of managed memory (dtype-typed, contiguous) into a new tensor.
RH_API rh_tensor rh_tensor_from_data(const void* data, const int64_t* shape, int64_t ndim, int8_t dtype,
                                     int8_t device_type, int8_t device_index) {
    RH_TENSOR_BODY([&] {
        auto cpu = at::from_blob(const_cast<void*>(data), rh::dims(shape, ndim),
                                 at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)))
                       .clone();
        return device_type == 0 ? cpu : cpu.to(at::Device(static_cast<at::DeviceType>(device_type), device_index));
    }())
}

enum FactoryKind : int32_t { Empty = 0, Zeros = 1, Ones = 2, Full = 3, Rand = 4, Randn = 5, RandintHigh = 6 };

RH_API rh_tensor rh_tensor_factory(int32_t kind, const int64_t* shape, int64_t ndim, double value, int8_t dtype,
                                   int8_t device_type, int8_t device_index) {
    RH_TENSOR_BODY([&] {
        const auto size = rh::dims(shape, ndim);
        const auto options = rh::options(dtype, device_type, device_index);
        switch (kind) {
            case Empty: return at::empty(size, options);
            case Zeros: return at::zeros(size, options);
            case Ones: return at::ones(size, options);
            case Full: return at::full(size, value, options);
            case Rand: return at::rand(size, options);
            case Randn: return at::randn(size, options);
            case RandintHigh: return at::randint(static_cast<int64_t>(value), size, options);
            default: throw std::invalid_argument("unknown tensor factory kind " + std::to_string(kind));
        }
    }())
}

RH_API rh_tensor rh_tensor_arange(double start, double end, double step, int8_t dtype, int8_t device_type,
                                  int8_t device_index) {
    RH_TENSOR_BODY(at::arange(start, end, step, rh::options(dtype, device_type, device_index)))
}

RH_API rh_tensor rh_tensor_linspace(double start, double end, int64_t steps, int8_t dtype, int8_t device_type,
                                    int8_t device_index) {
    RH_TENSOR_BODY(at::linspace(start, end, steps, rh::options(dtype, device_type, device_index)))
}

// ---- information and data -------------------------------------------------------------------

RH_API int64_t rh_tensor_ndim(rh_tensor t) { return t->dim(); }
RH_API int64_t rh_tensor_numel(rh_tensor t) { return t->numel(); }
RH_API void rh_tensor_shape(rh_tensor t, int64_t* out) {
    const auto sizes = t->sizes();
    std::copy(sizes.begin(), sizes.end(), out);
}
RH_API int8_t rh_tensor_dtype(rh_tensor t) { return static_cast<int8_t>(t->scalar_type()); }
RH_API int8_t rh_tensor_device_type(rh_tensor t) { return static_cast<int8_t>(t->device().type()); }
RH_API int8_t rh_tensor_device_index(rh_tensor t) { return t->device().index(); }
RH_API int32_t rh_tensor_requires_grad(rh_tensor t) { return t->requires_grad() ? 1 : 0; }
RH_API int32_t rh_tensor_is_contiguous(rh_tensor t) { return t->is_contiguous() ? 1 : 0; }
RH_API int64_t rh_tensor_element_size(rh_tensor t) { return static_cast<int64_t>(t->element_size()); }

// Copies the tensor's elements (moved to CPU, contiguous) into buffer of nbytes bytes.
RH_API int32_t rh_tensor_copy_to(rh_tensor t, void* buffer, int64_t nbytes) {
    RH_STATUS_BODY({
        const auto cpu = t->detach().to(at::kCPU).contiguous();
        const auto needed = static_cast<int64_t>(cpu.numel() * cpu.element_size());
        if (needed != nbytes) {
            throw std::invalid_argument("buffer of " + std::to_string(nbytes) + " bytes for a tensor of " +
                                        std::to_string(needed) + " bytes");
        }
        std::memcpy(buffer, cpu.data_ptr(), static_cast<size_t>(nbytes));
    })
}

// Overwrites the tensor's elements from buffer (same dtype and element count); works under autograd
// only for leaves without grad (used by state-dict loading under no_grad).
RH_API int32_t rh_tensor_copy_from(rh_tensor t, const void* buffer, int64_t nbytes) {
    RH_STATUS_BODY({
        const auto needed = static_cast<int64_t>(t->numel() * t->element_size());
        if (needed != nbytes) {
            throw std::invalid_argument("buffer of " + std::to_string(nbytes) + " bytes for a tensor of " +
                                        std::to_string(needed) + " bytes");
        }
        auto source = at::from_blob(const_cast<void*>(buffer), t->sizes(), at::TensorOptions().dtype(t->scalar_type()));
        at::NoGradGuard no_grad;
        t->copy_(source);
    })
}

RH_API int32_t rh_tensor_item(rh_tensor t, double* out) {
    RH_STATUS_BODY({ *out = t->item<double>(); })
}

// ---- conversion and autograd-related views --------------------------------------------------

RH_API rh_tensor rh_tensor_to(rh_tensor t, int8_t dtype, int8_t device_type, int8_t device_index, int32_t copy) {
    RH_TENSOR_BODY(t->to(at::Device(static_cast<at::DeviceType>(device_type), device_index),
                         static_cast<at::ScalarType>(dtype), /*non_blocking=*/false, copy != 0))
}
RH_API rh_tensor rh_tensor_clone(rh_tensor t) { RH_TENSOR_BODY(t->clone()) }
RH_API rh_tensor rh_tensor_detach(rh_tensor t) { RH_TENSOR_BODY(t->detach()) }
RH_API rh_tensor rh_tensor_alias(rh_tensor t) { RH_TENSOR_BODY(at::Tensor(*t)) }

// ---- element-wise -----------------------------------------------------------------------------

enum UnaryOp : int32_t {
    Neg, Abs, Exp, Log, Sqrt, Rsqrt, Sin, Cos, Tanh, Sigmoid, Relu, Gelu, Silu, Floor, Ceil, Round, Sign,
    Reciprocal, Square, LogicalNot, Log1p, Expm1, Erf, GeluTanh, IsNan, IsFinite, Trunc, Frac, Log2, Atan
};

static at::Tensor unary(const at::Tensor& t, int32_t op) {
    switch (op) {
        case Neg: return at::neg(t);
        case Abs: return at::abs(t);
        case Exp: return at::exp(t);
        case Log: return at::log(t);
        case Sqrt: return at::sqrt(t);
        case Rsqrt: return at::rsqrt(t);
        case Sin: return at::sin(t);
        case Cos: return at::cos(t);
        case Tanh: return at::tanh(t);
        case Sigmoid: return at::sigmoid(t);
        case Relu: return at::relu(t);
        case Gelu: return at::gelu(t);
        case Silu: return at::silu(t);
        case Floor: return at::floor(t);
        case Ceil: return at::ceil(t);
        case Round: return at::round(t);
        case Sign: return at::sign(t);
        case Reciprocal: return at::reciprocal(t);
        case Square: return at::square(t);
        case LogicalNot: return at::logical_not(t);
        case Log1p: return at::log1p(t);
        case Expm1: return at::expm1(t);
        case Erf: return at::erf(t);
        case GeluTanh: return at::gelu(t, "tanh");
        case IsNan: return at::isnan(t);
        case IsFinite: return at::isfinite(t);
        case Trunc: return at::trunc(t);
        case Frac: return at::frac(t);
        case Log2: return at::log2(t);
        case Atan: return at::atan(t);
        default: throw std::invalid_argument("unknown unary op " + std::to_string(op));
    }
}

RH_API rh_tensor rh_unary(rh_tensor t, int32_t op) { RH_TENSOR_BODY(unary(*t, op)) }

enum BinaryOp : int32_t {
    Add, Sub, Mul, Div, Pow, Maximum, Minimum, Eq, Ne, Lt, Le, Gt, Ge, Matmul, Bmm, Atan2, LogicalAnd,
    LogicalOr, Remainder, FloorDivide, Mm, ReverseSub, ReverseDiv, ReversePow, LogicalXor
};

static at::Tensor binary(const at::Tensor& a, const at::Tensor& b, int32_t op) {
    switch (op) {
        case Add: return at::add(a, b);
        case Sub: return at::sub(a, b);
        case Mul: return at::mul(a, b);
        case Div: return at::div(a, b);
        case Pow: return at::pow(a, b);
        case Maximum: return at::maximum(a, b);
        case Minimum: return at::minimum(a, b);
        case Eq: return at::eq(a, b);
        case Ne: return at::ne(a, b);
        case Lt: return at::lt(a, b);
        case Le: return at::le(a, b);
        case Gt: return at::gt(a, b);
        case Ge: return at::ge(a, b);
        case Matmul: return at::matmul(a, b);
        case Bmm: return at::bmm(a, b);
        case Atan2: return at::atan2(a, b);
        case LogicalAnd: return at::logical_and(a, b);
        case LogicalOr: return at::logical_or(a, b);
        case Remainder: return at::remainder(a, b);
        case FloorDivide: return at::div(a, b, "floor");
        case Mm: return at::mm(a, b);
        case ReverseSub: return at::sub(b, a);
        case ReverseDiv: return at::div(b, a);
        case ReversePow: return at::pow(b, a);
        case LogicalXor: return at::logical_xor(a, b);
        default: throw std::invalid_argument("unknown binary op " + std::to_string(op));
    }
}

static at::Tensor binary_scalar(const at::Tensor& a, const at::Scalar& s, int32_t op) {
    switch (op) {
        case Add: return at::add(a, s);
        case Sub: return at::sub(a, s);
        case Mul: return at::mul(a, s);
        case Div: return at::div(a, s);
        case Pow: return at::pow(a, s);
        case Maximum: return at::clamp_min(a, s);
        case Minimum: return at::clamp_max(a, s);
        case Eq: return at::eq(a, s);
        case Ne: return at::ne(a, s);
        case Lt: return at::lt(a, s);
        case Le: return at::le(a, s);
        case Gt: return at::gt(a, s);
        case Ge: return at::ge(a, s);
        case Remainder: return at::remainder(a, s);
        case FloorDivide: return at::div(a, at::scalar_tensor(s, a.options()), "floor");
        case ReverseSub: return at::rsub(a, s);
        case ReverseDiv: return at::mul(at::reciprocal(a), s);
        case ReversePow: return at::pow(s, a);
        default: throw std::invalid_argument("binary op " + std::to_string(op) + " has no scalar form");
    }
}

RH_API rh_tensor rh_binary(rh_tensor a, rh_tensor b, int32_t op) { RH_TENSOR_BODY(binary(*a, *b, op)) }
RH_API rh_tensor rh_binary_scalar(rh_tensor a, double s, int32_t op) { RH_TENSOR_BODY(binary_scalar(*a, s, op)) }

enum InplaceOp : int32_t { AddInplace, SubInplace, MulInplace, DivInplace, CopyInplace, FillInplace, ZeroInplace };

RH_API int32_t rh_inplace(rh_tensor a, rh_tensor b, double s, int32_t op) {
    RH_STATUS_BODY({
        switch (op) {
            case AddInplace: b ? a->add_(*b) : a->add_(s); break;
            case SubInplace: b ? a->sub_(*b) : a->sub_(s); break;
            case MulInplace: b ? a->mul_(*b) : a->mul_(s); break;
            case DivInplace: b ? a->div_(*b) : a->div_(s); break;
            case CopyInplace: a->copy_(*b); break;
            case FillInplace: b ? a->fill_(*b) : a->fill_(s); break;
            case ZeroInplace: a->zero_(); break;
            default: throw std::invalid_argument("unknown in-place op " + std::to_string(op));
        }
    })
}

RH_API rh_tensor rh_where(rh_tensor condition, rh_tensor a, rh_tensor b) { RH_TENSOR_BODY(at::where(*condition, *a, *b)) }

// Clamps to [min, max]; has_min/has_max say which bounds apply.
RH_API rh_tensor rh_clamp(rh_tensor t, int32_t has_min, double min, int32_t has_max, double max) {
    RH_TENSOR_BODY(at::clamp(*t, has_min ? c10::optional<at::Scalar>(min) : c10::nullopt,
                             has_max ? c10::optional<at::Scalar>(max) : c10::nullopt))
}

RH_API rh_tensor rh_lerp(rh_tensor start, rh_tensor end, rh_tensor weight) { RH_TENSOR_BODY(at::lerp(*start, *end, *weight)) }

// ---- reductions --------------------------------------------------------------------------------

enum ReduceOp : int32_t { Sum, Mean, Amax, Amin, Prod, Std, Var, LogSumExp, Norm, All, Any };

// Reduces over dims (all dims when ndims == 0). option: unbiased for Std/Var, p for Norm.
RH_API rh_tensor rh_reduce(rh_tensor t, int32_t op, const int64_t* dims, int64_t ndims, int32_t keepdim, double option) {
    RH_TENSOR_BODY([&]() -> at::Tensor {
        const bool all = ndims == 0;
        const auto d = rh::dims(dims, ndims);
        const bool keep = keepdim != 0;
        switch (op) {
            case Sum: return all ? at::sum(*t) : at::sum(*t, d, keep);
            case Mean: return all ? at::mean(*t) : at::mean(*t, d, keep);
            case Amax: return all ? t->max() : at::amax(*t, d, keep);
            case Amin: return all ? t->min() : at::amin(*t, d, keep);
            case Prod:
                if (all) return at::prod(*t);
                if (ndims != 1) throw std::invalid_argument("prod reduces over exactly one dim");
                return at::prod(*t, dims[0], keep);
            case Std: return all ? at::std(*t, option != 0) : at::std(*t, d, option != 0, keep);
            case Var: return all ? at::var(*t, option != 0) : at::var(*t, d, option != 0, keep);
            case LogSumExp: {
                if (all) {
                    std::vector<int64_t> every(static_cast<size_t>(t->dim()));
                    for (size_t i = 0; i < every.size(); ++i) every[i] = static_cast<int64_t>(i);
                    return at::logsumexp(*t, every, false);
                }
                return at::logsumexp(*t, d, keep);
            }
            case Norm: return all ? at::norm(*t, option) : at::norm(*t, option, d, keep);
            case All: return all ? at::all(*t) : at::all(*t, dims[0], keep);
            case Any: return all ? at::any(*t) : at::any(*t, dims[0], keep);
            default: throw std::invalid_argument("unknown reduction " + std::to_string(op));
        }
    }())
}

// max/min over one dim with indices (is_min selects min).
RH_API int32_t rh_max_dim(rh_tensor t, int64_t dim, int32_t keepdim, int32_t is_min, rh_tensor* values, rh_tensor* indices) {
    RH_STATUS_BODY({
        auto result = is_min ? at::min(*t, dim, keepdim != 0) : at::max(*t, dim, keepdim != 0);
        *values = rh::wrap(std::move(std::get<0>(result)));
        *indices = rh::wrap(std::move(std::get<1>(result)));
    })
}

RH_API rh_tensor rh_argmax(rh_tensor t, int64_t dim, int32_t has_dim, int32_t keepdim, int32_t is_min) {
    RH_TENSOR_BODY([&] {
        const auto d = has_dim ? c10::optional<int64_t>(dim) : c10::nullopt;
        return is_min ? at::argmin(*t, d, keepdim != 0) : at::argmax(*t, d, keepdim != 0);
    }())
}

RH_API int32_t rh_sort(rh_tensor t, int64_t dim, int32_t descending, rh_tensor* values, rh_tensor* indices) {
    RH_STATUS_BODY({
        auto result = at::sort(*t, dim, descending != 0);
        *values = rh::wrap(std::move(std::get<0>(result)));
        *indices = rh::wrap(std::move(std::get<1>(result)));
    })
}

RH_API int32_t rh_topk(rh_tensor t, int64_t k, int64_t dim, int32_t largest, rh_tensor* values, rh_tensor* indices) {
    RH_STATUS_BODY({
        auto result = at::topk(*t, k, dim, largest != 0, true);
        *values = rh::wrap(std::move(std::get<0>(result)));
        *indices = rh::wrap(std::move(std::get<1>(result)));
    })
}

enum ScanOp : int32_t { Cumsum, Cumprod, Softmax, LogSoftmax };

RH_API rh_tensor rh_scan(rh_tensor t, int64_t dim, int32_t op) {
    RH_TENSOR_BODY([&] {
        switch (op) {
            case Cumsum: return at::cumsum(*t, dim);
            case Cumprod: return at::cumprod(*t, dim);
            case Softmax: return at::softmax(*t, dim);
            case LogSoftmax: return at::log_softmax(*t, dim);
            default: throw std::invalid_argument("unknown scan op " + std::to_string(op));
        }
    }())
}

// ---- shape -------------------------------------------------------------------------------------

enum ShapeOp : int32_t { Reshape, View, Permute, Expand, Repeat, Flip, SqueezeAll, Contiguous };

RH_API rh_tensor rh_shape_op(rh_tensor t, int32_t op, const int64_t* values, int64_t count) {
    RH_TENSOR_BODY([&] {
        const auto v = rh::dims(values, count);
        switch (op) {
            case Reshape: return t->reshape(v);
            case View: return t->view(v);
            case Permute: return t->permute(v);
            case Expand: return t->expand(v);
            case Repeat: return t->repeat(v);
            case Flip: return t->flip(v);
            case SqueezeAll: return t->squeeze();
            case Contiguous: return t->contiguous();
            default: throw std::invalid_argument("unknown shape op " + std::to_string(op));
        }
    }())
}

enum DimOp : int32_t { Transpose, Squeeze, Unsqueeze, Flatten, Select, Narrow, Slice };

// Shape ops over one or two dims with up to three integer arguments.
RH_API rh_tensor rh_dim_op(rh_tensor t, int32_t op, int64_t a, int64_t b, int64_t c, int64_t d) {
    RH_TENSOR_BODY([&] {
        switch (op) {
            case Transpose: return t->transpose(a, b);
            case Squeeze: return t->squeeze(a);
            case Unsqueeze: return t->unsqueeze(a);
            case Flatten: return t->flatten(a, b);
            case Select: return t->select(a, b);
            case Narrow: return t->narrow(a, b, c);
            case Slice: return t->slice(a, b, c, d);
            default: throw std::invalid_argument("unknown dim op " + std::to_string(op));
        }
    }())
}

RH_API rh_tensor rh_cat(const rh_tensor* list, int64_t count, int64_t dim, int32_t stack) {
    RH_TENSOR_BODY(stack ? at::stack(rh::tensors(list, count), dim) : at::cat(rh::tensors(list, count), dim))
}

// Splits into pieces (sizes given, or chunk count when sizes == nullptr); writes at most capacity
// handles and returns the piece count, -1 on error.
RH_API int64_t rh_split(rh_tensor t, const int64_t* sizes, int64_t nsizes, int64_t chunks, int64_t dim, rh_tensor* out,
                        int64_t capacity) {
    try {
        auto pieces = sizes ? at::split_with_sizes(*t, rh::dims(sizes, nsizes), dim) : at::chunk(*t, chunks, dim);
        const auto n = static_cast<int64_t>(pieces.size());
        if (n > capacity) throw std::invalid_argument("split produced more pieces than the output capacity");
        for (int64_t i = 0; i < n; ++i) out[i] = rh::wrap(std::move(pieces[static_cast<size_t>(i)]));
        return n;
    } catch (const c10::Error& e) {
        rh::set_error(e.what_without_backtrace());
    } catch (const std::exception& e) {
        rh::set_error(e.what());
    }
    return -1;
}

RH_API int64_t rh_meshgrid(const rh_tensor* list, int64_t count, int32_t indexing_xy, rh_tensor* out) {
    try {
        auto grids = at::meshgrid(rh::tensors(list, count), indexing_xy ? "xy" : "ij");
        for (size_t i = 0; i < grids.size(); ++i) out[i] = rh::wrap(std::move(grids[i]));
        return static_cast<int64_t>(grids.size());
    } catch (const c10::Error& e) {
        rh::set_error(e.what_without_backtrace());
    } catch (const std::exception& e) {
        rh::set_error(e.what());
    }
    return -1;
}

// ---- indexing ----------------------------------------------------------------------------------

enum IndexOp : int32_t { IndexSelect, Gather, MaskedSelect, ScatterAdd, Scatter, Take, IndexAdd };

RH_API rh_tensor rh_index_op(rh_tensor t, int32_t op, int64_t dim, rh_tensor index, rh_tensor source) {
    RH_TENSOR_BODY([&] {
        switch (op) {
            case IndexSelect: return at::index_select(*t, dim, *index);
            case Gather: return at::gather(*t, dim, *index);
            case MaskedSelect: return at::masked_select(*t, *index);
            case ScatterAdd: return at::scatter_add(*t, dim, *index, *source);
            case Scatter: return at::scatter(*t, dim, *index, *source);
            case Take: return at::take(*t, *index);
            case IndexAdd: return at::index_add(*t, dim, *index, *source);
            default: throw std::invalid_argument("unknown index op " + std::to_string(op));
        }
    }())
}

RH_API rh_tensor rh_masked_fill(rh_tensor t, rh_tensor mask, double value) { RH_TENSOR_BODY(at::masked_fill(*t, *mask, value)) }
RH_API rh_tensor rh_nonzero(rh_tensor t) { RH_TENSOR_BODY(at::nonzero(*t)) }

// Advanced indexing t[i0, i1, ...] with one index tensor per leading dim (nullptr = full slice).
RH_API rh_tensor rh_index(rh_tensor t, const rh_tensor* indices, int64_t count) {
    RH_TENSOR_BODY([&] {
        c10::List<c10::optional<at::Tensor>> list;
        for (int64_t i = 0; i < count; ++i) list.push_back(rh::optional(indices[i]));
        return at::index(*t, list);
    }())
}

// In-place t[indices] = values (accumulate adds instead).
RH_API int32_t rh_index_put_(rh_tensor t, const rh_tensor* indices, int64_t count, rh_tensor values, int32_t accumulate) {
    RH_STATUS_BODY({
        c10::List<c10::optional<at::Tensor>> list;
        for (int64_t i = 0; i < count; ++i) list.push_back(rh::optional(indices[i]));
        t->index_put_(list, *values, accumulate != 0);
    })
}

RH_API rh_tensor rh_searchsorted(rh_tensor sorted, rh_tensor values, int32_t right) {
    RH_TENSOR_BODY(at::searchsorted(*sorted, *values, false, right != 0))
}

RH_API rh_tensor rh_einsum(const char* equation, const rh_tensor* list, int64_t count) {
    RH_TENSOR_BODY(at::einsum(equation, rh::tensors(list, count)))
}
