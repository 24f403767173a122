// Shared plumbing of the RealtimeHead libtorch shim.
//
// Contract of every exported rh_* function (TorchSharp's THSTorch pattern):
//  - C++ exceptions never cross the C ABI. A failure stores its message in a thread-local slot and the
//    function returns nullptr / -1; the managed side calls rh_take_error() and throws TorchException.
//  - A tensor handle is a heap-allocated at::Tensor (a reference-counted view of storage); the managed
//    SafeHandle frees it with rh_tensor_free.
#pragma once

#include <ATen/ATen.h>
#include <cstdint>
#include <string>
#include <vector>

#define RH_API extern "C" __attribute__((visibility("default")))

typedef at::Tensor* rh_tensor;

namespace rh {

void set_error(const char* message);

inline at::Tensor* wrap(at::Tensor&& t) { return new at::Tensor(std::move(t)); }

inline at::IntArrayRef dims(const int64_t* values, int64_t count) {
    return at::IntArrayRef(values, static_cast<size_t>(count));
}

inline std::vector<at::Tensor> tensors(const rh_tensor* handles, int64_t count) {
    std::vector<at::Tensor> list;
    list.reserve(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) list.push_back(*handles[i]);
    return list;
}

inline c10::optional<at::Tensor> optional(const rh_tensor handle) {
    if (handle == nullptr) return c10::nullopt;
    return *handle;
}

inline at::TensorOptions options(int8_t dtype, int8_t device_type, int8_t device_index) {
    return at::TensorOptions()
        .dtype(static_cast<at::ScalarType>(dtype))
        .device(at::Device(static_cast<at::DeviceType>(device_type), device_index));
}

inline const char* reduction_name(int64_t reduction) {
    switch (reduction) {
        case 0: return "none";
        case 1: return "mean";
        default: return "sum";
    }
}

}  // namespace rh

// Wraps a body that returns a new tensor; on failure records the message and returns nullptr.
#define RH_TENSOR_BODY(expr)                                                     \
    try {                                                                        \
        return rh::wrap(expr);                                                   \
    } catch (const c10::Error& e) {                                              \
        rh::set_error(e.what_without_backtrace());                               \
    } catch (const std::exception& e) {                                          \
        rh::set_error(e.what());                                                 \
    } catch (...) {                                                              \
        rh::set_error("unknown C++ exception in libtorch");                      \
    }                                                                            \
    return nullptr;

// Wraps a statement block; returns 0 on success, -1 on failure with the message recorded.
#define RH_STATUS_BODY(block)                                                    \
    try {                                                                        \
        block;                                                                   \
        return 0;                                                                \
    } catch (const c10::Error& e) {                                              \
        rh::set_error(e.what_without_backtrace());                               \
    } catch (const std::exception& e) {                                          \
        rh::set_error(e.what());                                                 \
    } catch (...) {                                                              \
        rh::set_error("unknown C++ exception in libtorch");                      \
    }                                                                            \
    return -1;
