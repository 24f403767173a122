// torch.nn.functional: the layers and losses the S3D-NeRF / AE-NeRF models are built from.
// Pointers that may be null (bias, weight) map to c10::nullopt, as in PyTorch's optional arguments.
#include "rh_common.h"

RH_API rh_tensor rh_linear(rh_tensor x, rh_tensor weight, rh_tensor bias) {
    RH_TENSOR_BODY(at::linear(*x, *weight, rh::optional(bias)))
}

// conv1d/conv2d/conv3d by the rank of weight; stride/padding/dilation have (weight.dim() - 2) entries.
RH_API rh_tensor rh_conv(rh_tensor x, rh_tensor weight, rh_tensor bias, const int64_t* stride, const int64_t* padding,
                         const int64_t* dilation, int64_t spatial, int64_t groups) {
    RH_TENSOR_BODY(at::convolution(*x, *weight, rh::optional(bias), rh::dims(stride, spatial), rh::dims(padding, spatial),
                                   rh::dims(dilation, spatial), /*transposed=*/false,
                                   std::vector<int64_t>(static_cast<size_t>(spatial), 0), groups))
}

RH_API rh_tensor rh_conv_transpose(rh_tensor x, rh_tensor weight, rh_tensor bias, const int64_t* stride,
                                   const int64_t* padding, const int64_t* output_padding, const int64_t* dilation,
                                   int64_t spatial, int64_t groups) {
    RH_TENSOR_BODY(at::convolution(*x, *weight, rh::optional(bias), rh::dims(stride, spatial), rh::dims(padding, spatial),
                                   rh::dims(dilation, spatial), /*transposed=*/true, rh::dims(output_padding, spatial),
                                   groups))
}

RH_API rh_tensor rh_layer_norm(rh_tensor x, const int64_t* normalized_shape, int64_t n, rh_tensor weight, rh_tensor bias,
                               double eps) {
    RH_TENSOR_BODY(at::layer_norm(*x, rh::dims(normalized_shape, n), rh::optional(weight), rh::optional(bias), eps))
}

RH_API rh_tensor rh_group_norm(rh_tensor x, int64_t groups, rh_tensor weight, rh_tensor bias, double eps) {
    RH_TENSOR_BODY(at::group_norm(*x, groups, rh::optional(weight), rh::optional(bias), eps))
}

RH_API rh_tensor rh_batch_norm(rh_tensor x, rh_tensor weight, rh_tensor bias, rh_tensor running_mean,
                               rh_tensor running_var, int32_t training, double momentum, double eps) {
    RH_TENSOR_BODY(at::batch_norm(*x, rh::optional(weight), rh::optional(bias), rh::optional(running_mean),
                                  rh::optional(running_var), training != 0, momentum, eps, /*cudnn_enabled=*/true))
}

enum PoolOp : int32_t { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d, MaxPool1d, AvgPool1d };

RH_API rh_tensor rh_pool(rh_tensor x, int32_t op, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                         int64_t spatial) {
    RH_TENSOR_BODY([&]() -> at::Tensor {
        const auto k = rh::dims(kernel, spatial);
        switch (op) {
            case MaxPool2d: return at::max_pool2d(*x, k, rh::dims(stride, spatial), rh::dims(padding, spatial));
            case AvgPool2d: return at::avg_pool2d(*x, k, rh::dims(stride, spatial), rh::dims(padding, spatial));
            case AdaptiveAvgPool2d: return at::adaptive_avg_pool2d(*x, k);
            case AdaptiveMaxPool2d: return std::get<0>(at::adaptive_max_pool2d(*x, k));
            case MaxPool1d: return at::max_pool1d(*x, k, rh::dims(stride, spatial), rh::dims(padding, spatial));
            case AvgPool1d: return at::avg_pool1d(*x, k, rh::dims(stride, spatial), rh::dims(padding, spatial));
            default: throw std::invalid_argument("unknown pooling op " + std::to_string(op));
        }
    }())
}

enum InterpolateMode : int32_t { Nearest, Linear, Bilinear, Bicubic, Area };

// Resizes the trailing spatial dims to size[0..spatial) (1-D for [N,C,L], 2-D for [N,C,H,W]).
RH_API rh_tensor rh_interpolate(rh_tensor x, const int64_t* size, int64_t spatial, int32_t mode, int32_t align_corners) {
    RH_TENSOR_BODY([&]() -> at::Tensor {
        const auto s = rh::dims(size, spatial);
        const bool align = align_corners != 0;
        switch (mode) {
            case Nearest:
                return spatial == 1 ? at::upsample_nearest1d(*x, s) : at::upsample_nearest2d(*x, s);
            case Linear:
                if (spatial != 1) throw std::invalid_argument("linear interpolation needs a 3-D input [N, C, L]");
                return at::upsample_linear1d(*x, s, align);
            case Bilinear:
                if (spatial != 2) throw std::invalid_argument("bilinear interpolation needs a 4-D input [N, C, H, W]");
                return at::upsample_bilinear2d(*x, s, align);
            case Bicubic:
                if (spatial != 2) throw std::invalid_argument("bicubic interpolation needs a 4-D input [N, C, H, W]");
                return at::upsample_bicubic2d(*x, s, align);
            case Area: return spatial == 1 ? at::adaptive_avg_pool1d(*x, s) : at::adaptive_avg_pool2d(*x, s);
            default: throw std::invalid_argument("unknown interpolation mode " + std::to_string(mode));
        }
    }())
}

// mode: 0 bilinear, 1 nearest, 2 bicubic; padding: 0 zeros, 1 border, 2 reflection (aten::grid_sampler codes).
RH_API rh_tensor rh_grid_sample(rh_tensor x, rh_tensor grid, int32_t mode, int32_t padding, int32_t align_corners) {
    RH_TENSOR_BODY(at::grid_sampler(*x, *grid, mode, padding, align_corners != 0))
}

RH_API rh_tensor rh_pixel_shuffle(rh_tensor x, int64_t factor, int32_t inverse) {
    RH_TENSOR_BODY(inverse ? at::pixel_unshuffle(*x, factor) : at::pixel_shuffle(*x, factor))
}

// mode: 0 constant, 1 reflect, 2 replicate, 3 circular.
RH_API rh_tensor rh_pad(rh_tensor x, const int64_t* pad, int64_t n, int32_t mode, double value) {
    static const char* const modes[] = {"constant", "reflect", "replicate", "circular"};
    RH_TENSOR_BODY([&] {
        if (mode < 0 || mode > 3) throw std::invalid_argument("unknown padding mode " + std::to_string(mode));
        return at::pad(*x, rh::dims(pad, n), modes[mode], mode == 0 ? c10::optional<double>(value) : c10::nullopt);
    }())
}

RH_API rh_tensor rh_dropout(rh_tensor x, double p, int32_t training) { RH_TENSOR_BODY(at::dropout(*x, p, training != 0)) }

enum ActivationOp : int32_t { LeakyRelu, Softplus, Elu, Hardtanh };

RH_API rh_tensor rh_activation(rh_tensor x, int32_t op, double a, double b) {
    RH_TENSOR_BODY([&] {
        switch (op) {
            case LeakyRelu: return at::leaky_relu(*x, a);
            case Softplus: return at::softplus(*x, a, b);
            case Elu: return at::elu(*x, a);
            case Hardtanh: return at::hardtanh(*x, a, b);
            default: throw std::invalid_argument("unknown activation " + std::to_string(op));
        }
    }())
}

// F.normalize: x / max(||x||_p over dim, eps).
RH_API rh_tensor rh_normalize(rh_tensor x, double p, int64_t dim, double eps) {
    RH_TENSOR_BODY(*x / at::norm(*x, p, {dim}, true).clamp_min(eps).expand_as(*x))
}

RH_API rh_tensor rh_cosine_similarity(rh_tensor a, rh_tensor b, int64_t dim, double eps) {
    RH_TENSOR_BODY(at::cosine_similarity(*a, *b, dim, eps))
}

enum LossOp : int32_t { Mse, L1, SmoothL1, BceWithLogits, CrossEntropy, Bce };

// reduction: 0 none, 1 mean, 2 sum (PyTorch's at::Reduction order).
RH_API rh_tensor rh_loss(rh_tensor input, rh_tensor target, int32_t op, int32_t reduction) {
    RH_TENSOR_BODY([&] {
        switch (op) {
            case Mse: return at::mse_loss(*input, *target, reduction);
            case L1: return at::l1_loss(*input, *target, reduction);
            case SmoothL1: return at::smooth_l1_loss(*input, *target, reduction);
            case BceWithLogits: return at::binary_cross_entropy_with_logits(*input, *target, {}, {}, reduction);
            case CrossEntropy: return at::cross_entropy_loss(*input, *target, {}, reduction);
            case Bce: return at::binary_cross_entropy(*input, *target, {}, reduction);
            default: throw std::invalid_argument("unknown loss " + std::to_string(op));
        }
    }())
}
