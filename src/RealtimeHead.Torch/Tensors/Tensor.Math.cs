using RealtimeHead.Torch.Interop;

namespace RealtimeHead.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        // ---- element-wise unary

        private Tensor Unary(UnaryOp op) => new(LibTorchShim.rh_unary(Handle, op));
        private Tensor Binary(Tensor other, BinaryOp op) => new(LibTorchShim.rh_binary(Handle, other.Handle, op));
        private Tensor Binary(double other, BinaryOp op) => new(LibTorchShim.rh_binary_scalar(Handle, other, op));

        public Tensor neg() => Unary(UnaryOp.Neg);
        public Tensor abs() => Unary(UnaryOp.Abs);
        public Tensor exp() => Unary(UnaryOp.Exp);
        public Tensor log() => Unary(UnaryOp.Log);
        public Tensor log2() => Unary(UnaryOp.Log2);
        public Tensor log1p() => Unary(UnaryOp.Log1p);
        public Tensor expm1() => Unary(UnaryOp.Expm1);
        public Tensor sqrt() => Unary(UnaryOp.Sqrt);
        public Tensor rsqrt() => Unary(UnaryOp.Rsqrt);
        public Tensor sin() => Unary(UnaryOp.Sin);
        public Tensor cos() => Unary(UnaryOp.Cos);
        public Tensor atan() => Unary(UnaryOp.Atan);
        public Tensor tanh() => Unary(UnaryOp.Tanh);
        public Tensor sigmoid() => Unary(UnaryOp.Sigmoid);
        public Tensor relu() => Unary(UnaryOp.Relu);
        public Tensor floor() => Unary(UnaryOp.Floor);
        public Tensor ceil() => Unary(UnaryOp.Ceil);
        public Tensor round() => Unary(UnaryOp.Round);
        public Tensor trunc() => Unary(UnaryOp.Trunc);
        public Tensor frac() => Unary(UnaryOp.Frac);
        public Tensor sign() => Unary(UnaryOp.Sign);
        public Tensor reciprocal() => Unary(UnaryOp.Reciprocal);
        public Tensor square() => Unary(UnaryOp.Square);
        public Tensor erf() => Unary(UnaryOp.Erf);
        public Tensor logical_not() => Unary(UnaryOp.LogicalNot);
        public Tensor isnan() => Unary(UnaryOp.IsNan);
        public Tensor isfinite() => Unary(UnaryOp.IsFinite);

        // ---- element-wise binary (broadcasting)

        public Tensor add(Tensor other) => Binary(other, BinaryOp.Add);
        public Tensor add(double other) => Binary(other, BinaryOp.Add);
        /// <summary>this + alpha * other.</summary>
        public Tensor add(Tensor other, double alpha)
        {
            using var scaled = other.mul(alpha);
            return Binary(scaled, BinaryOp.Add);
        }
        public Tensor sub(Tensor other) => Binary(other, BinaryOp.Sub);
        public Tensor sub(double other) => Binary(other, BinaryOp.Sub);
        public Tensor mul(Tensor other) => Binary(other, BinaryOp.Mul);
        public Tensor mul(double other) => Binary(other, BinaryOp.Mul);
        public Tensor div(Tensor other) => Binary(other, BinaryOp.Div);
        public Tensor div(double other) => Binary(other, BinaryOp.Div);
        public Tensor pow(Tensor exponent) => Binary(exponent, BinaryOp.Pow);
        public Tensor pow(double exponent) => Binary(exponent, BinaryOp.Pow);
        public Tensor remainder(Tensor other) => Binary(other, BinaryOp.Remainder);
        public Tensor remainder(double other) => Binary(other, BinaryOp.Remainder);
        public Tensor floor_divide(Tensor other) => Binary(other, BinaryOp.FloorDivide);
        public Tensor floor_divide(double other) => Binary(other, BinaryOp.FloorDivide);
        public Tensor maximum(Tensor other) => Binary(other, BinaryOp.Maximum);
        public Tensor minimum(Tensor other) => Binary(other, BinaryOp.Minimum);
        public Tensor atan2(Tensor other) => Binary(other, BinaryOp.Atan2);
        public Tensor matmul(Tensor other) => Binary(other, BinaryOp.Matmul);
        public Tensor mm(Tensor other) => Binary(other, BinaryOp.Mm);
        public Tensor bmm(Tensor other) => Binary(other, BinaryOp.Bmm);

        public Tensor eq(Tensor other) => Binary(other, BinaryOp.Eq);
        public Tensor eq(double other) => Binary(other, BinaryOp.Eq);
        public Tensor ne(Tensor other) => Binary(other, BinaryOp.Ne);
        public Tensor ne(double other) => Binary(other, BinaryOp.Ne);
        public Tensor lt(Tensor other) => Binary(other, BinaryOp.Lt);
        public Tensor lt(double other) => Binary(other, BinaryOp.Lt);
        public Tensor le(Tensor other) => Binary(other, BinaryOp.Le);
        public Tensor le(double other) => Binary(other, BinaryOp.Le);
        public Tensor gt(Tensor other) => Binary(other, BinaryOp.Gt);
        public Tensor gt(double other) => Binary(other, BinaryOp.Gt);
        public Tensor ge(Tensor other) => Binary(other, BinaryOp.Ge);
        public Tensor ge(double other) => Binary(other, BinaryOp.Ge);
        public Tensor logical_and(Tensor other) => Binary(other, BinaryOp.LogicalAnd);
        public Tensor logical_or(Tensor other) => Binary(other, BinaryOp.LogicalOr);
        public Tensor logical_xor(Tensor other) => Binary(other, BinaryOp.LogicalXor);

        public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
        public static Tensor operator +(Tensor a, double b) => a.add(b);
        public static Tensor operator +(double a, Tensor b) => b.add(a);
        public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
        public static Tensor operator -(Tensor a, double b) => a.sub(b);
        public static Tensor operator -(double a, Tensor b) => b.Binary(a, BinaryOp.ReverseSub);
        public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
        public static Tensor operator *(Tensor a, double b) => a.mul(b);
        public static Tensor operator *(double a, Tensor b) => b.mul(a);
        public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
        public static Tensor operator /(Tensor a, double b) => a.div(b);
        public static Tensor operator /(double a, Tensor b) => b.Binary(a, BinaryOp.ReverseDiv);
        public static Tensor operator -(Tensor a) => a.neg();

        // ---- in place (no new tensor; returns this)

        private Tensor Inplace(Tensor? other, double scalar, InplaceOp op)
        {
            TorchException.CheckStatus(LibTorchShim.rh_inplace(Handle, OptionalHandle(other), scalar, op));
            return this;
        }

        public Tensor add_(Tensor other) => Inplace(other, 0, InplaceOp.Add);
        public Tensor add_(double other) => Inplace(null, other, InplaceOp.Add);
        public Tensor sub_(Tensor other) => Inplace(other, 0, InplaceOp.Sub);
        public Tensor sub_(double other) => Inplace(null, other, InplaceOp.Sub);
        public Tensor mul_(Tensor other) => Inplace(other, 0, InplaceOp.Mul);
        public Tensor mul_(double other) => Inplace(null, other, InplaceOp.Mul);
        public Tensor div_(Tensor other) => Inplace(other, 0, InplaceOp.Div);
        public Tensor div_(double other) => Inplace(null, other, InplaceOp.Div);
        public Tensor copy_(Tensor source) => Inplace(source, 0, InplaceOp.Copy);
        public Tensor fill_(double value) => Inplace(null, value, InplaceOp.Fill);
        public Tensor zero_() => Inplace(null, 0, InplaceOp.Zero);

        // ---- clamping and selection

        public Tensor clamp(double? min = null, double? max = null) =>
            new(LibTorchShim.rh_clamp(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0));
        public Tensor clamp_min(double min) => clamp(min, null);
        public Tensor clamp_max(double max) => clamp(null, max);
        public Tensor masked_fill(Tensor mask, double value) => new(LibTorchShim.rh_masked_fill(Handle, mask.Handle, value));

        // ---- reductions

        private unsafe Tensor Reduce(ReduceOp op, ReadOnlySpan<long> dims, bool keepdim, double option = 0)
        {
            fixed (long* p = dims)
            {
                return new Tensor(LibTorchShim.rh_reduce(Handle, op, p, dims.Length, keepdim ? 1 : 0, option));
            }
        }

        public Tensor sum() => Reduce(ReduceOp.Sum, default, false);
        public Tensor sum(long dim, bool keepdim = false) => Reduce(ReduceOp.Sum, [dim], keepdim);
        public Tensor sum(long[] dims, bool keepdim = false) => Reduce(ReduceOp.Sum, dims, keepdim);
        public Tensor mean() => Reduce(ReduceOp.Mean, default, false);
        public Tensor mean(long dim, bool keepdim = false) => Reduce(ReduceOp.Mean, [dim], keepdim);
        public Tensor mean(long[] dims, bool keepdim = false) => Reduce(ReduceOp.Mean, dims, keepdim);
        public Tensor amax(long dim, bool keepdim = false) => Reduce(ReduceOp.Amax, [dim], keepdim);
        public Tensor amax(long[] dims, bool keepdim = false) => Reduce(ReduceOp.Amax, dims, keepdim);
        public Tensor amin(long dim, bool keepdim = false) => Reduce(ReduceOp.Amin, [dim], keepdim);
        public Tensor amin(long[] dims, bool keepdim = false) => Reduce(ReduceOp.Amin, dims, keepdim);
        public Tensor max() => Reduce(ReduceOp.Amax, default, false);
        public Tensor min() => Reduce(ReduceOp.Amin, default, false);
        public Tensor prod() => Reduce(ReduceOp.Prod, default, false);
        public Tensor prod(long dim, bool keepdim = false) => Reduce(ReduceOp.Prod, [dim], keepdim);
        public Tensor std(bool unbiased = true) => Reduce(ReduceOp.Std, default, false, unbiased ? 1 : 0);
        public Tensor std(long dim, bool unbiased = true, bool keepdim = false) => Reduce(ReduceOp.Std, [dim], keepdim, unbiased ? 1 : 0);
        public Tensor var(bool unbiased = true) => Reduce(ReduceOp.Var, default, false, unbiased ? 1 : 0);
        public Tensor var(long dim, bool unbiased = true, bool keepdim = false) => Reduce(ReduceOp.Var, [dim], keepdim, unbiased ? 1 : 0);
        public Tensor logsumexp(long dim, bool keepdim = false) => Reduce(ReduceOp.LogSumExp, [dim], keepdim);
        public Tensor norm(double p = 2) => Reduce(ReduceOp.Norm, default, false, p);
        public Tensor norm(long dim, bool keepdim = false, double p = 2) => Reduce(ReduceOp.Norm, [dim], keepdim, p);
        public Tensor all() => Reduce(ReduceOp.All, default, false);
        public Tensor all(long dim, bool keepdim = false) => Reduce(ReduceOp.All, [dim], keepdim);
        public Tensor any() => Reduce(ReduceOp.Any, default, false);
        public Tensor any(long dim, bool keepdim = false) => Reduce(ReduceOp.Any, [dim], keepdim);

        /// <summary>Maximum over a dim with the indices where it is reached.</summary>
        public (Tensor values, Tensor indexes) max(long dim, bool keepdim = false)
        {
            TorchException.CheckStatus(LibTorchShim.rh_max_dim(Handle, dim, keepdim ? 1 : 0, 0, out var values, out var indices));
            return (new Tensor(values), new Tensor(indices));
        }

        public (Tensor values, Tensor indexes) min(long dim, bool keepdim = false)
        {
            TorchException.CheckStatus(LibTorchShim.rh_max_dim(Handle, dim, keepdim ? 1 : 0, 1, out var values, out var indices));
            return (new Tensor(values), new Tensor(indices));
        }

        public Tensor argmax() => new(LibTorchShim.rh_argmax(Handle, 0, 0, 0, 0));
        public Tensor argmax(long dim, bool keepdim = false) => new(LibTorchShim.rh_argmax(Handle, dim, 1, keepdim ? 1 : 0, 0));
        public Tensor argmin() => new(LibTorchShim.rh_argmax(Handle, 0, 0, 0, 1));
        public Tensor argmin(long dim, bool keepdim = false) => new(LibTorchShim.rh_argmax(Handle, dim, 1, keepdim ? 1 : 0, 1));

        public (Tensor values, Tensor indices) sort(long dim = -1, bool descending = false)
        {
            TorchException.CheckStatus(LibTorchShim.rh_sort(Handle, dim, descending ? 1 : 0, out var values, out var indices));
            return (new Tensor(values), new Tensor(indices));
        }

        public (Tensor values, Tensor indexes) topk(long k, long dim = -1, bool largest = true)
        {
            TorchException.CheckStatus(LibTorchShim.rh_topk(Handle, k, dim, largest ? 1 : 0, out var values, out var indices));
            return (new Tensor(values), new Tensor(indices));
        }

        public Tensor cumsum(long dim) => new(LibTorchShim.rh_scan(Handle, dim, ScanOp.Cumsum));
        public Tensor cumprod(long dim) => new(LibTorchShim.rh_scan(Handle, dim, ScanOp.Cumprod));
        public Tensor softmax(long dim) => new(LibTorchShim.rh_scan(Handle, dim, ScanOp.Softmax));
        public Tensor log_softmax(long dim) => new(LibTorchShim.rh_scan(Handle, dim, ScanOp.LogSoftmax));
    }
}
