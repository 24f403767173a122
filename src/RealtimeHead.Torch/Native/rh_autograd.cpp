// Autograd, optimizers, random seeds, threads and devices.
#include "rh_common.h"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/cuda.h>

#include <cmath>
#include <dlfcn.h>

// ---- autograd ------------------------------------------------------------------------------------

RH_API int32_t rh_set_requires_grad(rh_tensor t, int32_t requires_grad) {
    RH_STATUS_BODY({ t->set_requires_grad(requires_grad != 0); })
}

// Returns the accumulated gradient, or nullptr without an error when there is none.
RH_API rh_tensor rh_grad(rh_tensor t) {
    try {
        const auto& grad = t->grad();
        return grad.defined() ? rh::wrap(at::Tensor(grad)) : nullptr;
    } catch (const c10::Error& e) {
        rh::set_error(e.what_without_backtrace());
    }
    return nullptr;
}

// Drops the accumulated gradient (PyTorch's zero_grad(set_to_none=True)).
RH_API int32_t rh_zero_grad(rh_tensor t) {
    RH_STATUS_BODY({ t->mutable_grad().reset(); })
}

RH_API int32_t rh_backward(rh_tensor t, rh_tensor gradient, int32_t retain_graph, int32_t create_graph) {
    RH_STATUS_BODY({
        t->backward(gradient ? *gradient : at::Tensor(), retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt,
                    create_graph != 0);
    })
}

// torch.autograd.grad(outputs, inputs, grad_outputs): writes one gradient per input (nullptr where unused).
RH_API int32_t rh_autograd_grad(const rh_tensor* outputs, int64_t noutputs, const rh_tensor* inputs, int64_t ninputs,
                                const rh_tensor* grad_outputs, int32_t retain_graph, int32_t create_graph,
                                rh_tensor* results) {
    RH_STATUS_BODY({
        std::vector<at::Tensor> grads;
        if (grad_outputs != nullptr) {
            for (int64_t i = 0; i < noutputs; ++i) grads.push_back(grad_outputs[i] ? *grad_outputs[i] : at::Tensor());
        }
        auto result = torch::autograd::grad(rh::tensors(outputs, noutputs), rh::tensors(inputs, ninputs), grads,
                                            retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt,
                                            create_graph != 0, /*allow_unused=*/true);
        for (size_t i = 0; i < result.size(); ++i) {
            results[i] = result[i].defined() ? rh::wrap(std::move(result[i])) : nullptr;
        }
    })
}

RH_API int32_t rh_is_grad_enabled() { return at::GradMode::is_enabled() ? 1 : 0; }
RH_API void rh_set_grad_enabled(int32_t enabled) { at::GradMode::set_enabled(enabled != 0); }

// ---- optimizers ----------------------------------------------------------------------------------

// One Adam/AdamW step over n parameters (Kingma & Ba 2015, Alg. 1; AdamW: Loshchilov & Hutter 2019).
// exp_avg / exp_avg_sq are the caller's state tensors (kept managed so they can be checkpointed);
// parameters without a gradient are skipped. step is the 1-based step count after this update.
RH_API int32_t rh_adam_step(const rh_tensor* params, const rh_tensor* exp_avg, const rh_tensor* exp_avg_sq, int64_t n,
                            double lr, double beta1, double beta2, double eps, double weight_decay, int32_t decoupled,
                            int64_t step) {
    RH_STATUS_BODY({
        at::NoGradGuard no_grad;
        const double bias_correction1 = 1.0 - std::pow(beta1, static_cast<double>(step));
        const double bias_correction2 = 1.0 - std::pow(beta2, static_cast<double>(step));
        const double step_size = lr / bias_correction1;
        for (int64_t i = 0; i < n; ++i) {
            auto& p = *params[i];
            const auto& stored_grad = p.grad();
            if (!stored_grad.defined()) continue;
            auto grad = stored_grad;
            if (weight_decay != 0) {
                if (decoupled) {
                    p.mul_(1.0 - lr * weight_decay);
                } else {
                    grad = grad.add(p, weight_decay);
                }
            }
            exp_avg[i]->mul_(beta1).add_(grad, 1.0 - beta1);
            exp_avg_sq[i]->mul_(beta2).addcmul_(grad, grad, 1.0 - beta2);
            const auto denom = (exp_avg_sq[i]->sqrt() / std::sqrt(bias_correction2)).add_(eps);
            p.addcdiv_(*exp_avg[i], denom, -step_size);
        }
    })
}

// torch.nn.utils.clip_grad_norm_: scales all gradients so their joint norm is at most max_norm; writes the
// norm before clipping to total_norm.
RH_API int32_t rh_clip_grad_norm(const rh_tensor* params, int64_t n, double max_norm, double norm_type, double* total_norm) {
    RH_STATUS_BODY({
        at::NoGradGuard no_grad;
        std::vector<at::Tensor> norms;
        for (int64_t i = 0; i < n; ++i) {
            const auto& grad = params[i]->grad();
            if (grad.defined()) norms.push_back(at::norm(grad, norm_type).to(at::kDouble));
        }
        if (norms.empty()) {
            *total_norm = 0;
            return 0;
        }
        const auto stacked = at::stack(norms);
        const double total = std::isinf(norm_type) ? stacked.max().item<double>()
                                                   : at::norm(stacked, norm_type).item<double>();
        *total_norm = total;
        const double coefficient = max_norm / (total + 1e-6);
        if (coefficient < 1.0) {
            for (int64_t i = 0; i < n; ++i) {
                auto& grad = params[i]->mutable_grad();
                if (grad.defined()) grad.mul_(coefficient);
            }
        }
    })
}

// ---- random, threads, devices ---------------------------------------------------------------

RH_API void rh_manual_seed(uint64_t seed) {
    auto generator = at::detail::getDefaultCPUGenerator();
    {
        std::lock_guard<std::mutex> lock(generator.mutex());
        generator.set_current_seed(seed);
    }
    if (torch::cuda::is_available()) torch::cuda::manual_seed_all(seed);
}

// Debian's libtorch runs matrix products in the system BLAS (OpenBLAS via libblas.so.3), whose thread pool
// at::set_num_threads does not control; set it too so "2 threads" means 2 threads for every op.
static void set_blas_threads(int32_t threads) {
    using setter = void (*)(int);
    for (const char* library : {"libopenblas.so.0", "libblas.so.3"}) {
        void* handle = dlopen(library, RTLD_LAZY | RTLD_NOLOAD);
        if (handle == nullptr) continue;
        auto set = reinterpret_cast<setter>(dlsym(handle, "openblas_set_num_threads"));
        dlclose(handle);
        if (set != nullptr) {
            set(threads);
            return;
        }
    }
}

RH_API void rh_set_num_threads(int32_t threads) {
    at::set_num_threads(threads);
    set_blas_threads(threads);
}
RH_API int32_t rh_get_num_threads() { return at::get_num_threads(); }
RH_API int32_t rh_cuda_is_available() { return torch::cuda::is_available() ? 1 : 0; }
RH_API int32_t rh_cuda_device_count() { return static_cast<int32_t>(torch::cuda::device_count()); }

RH_API int32_t rh_cuda_synchronize(int64_t device_index) {
    RH_STATUS_BODY({ torch::cuda::synchronize(device_index); })
}
