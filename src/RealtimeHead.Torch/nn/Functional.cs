using RealtimeHead.Torch.Interop;

namespace RealtimeHead.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public enum Reduction { None = 0, Mean = 1, Sum = 2 }

        /// <summary>torch.nn.functional: stateless layers, activations and losses.</summary>
        public static class functional
        {
            // ---- linear and convolution

            /// <summary>x [*, in] · weightᵀ [out, in] + bias [out] → [*, out].</summary>
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) =>
                new(LibTorchShim.rh_linear(input.Handle, weight.Handle, Tensor.OptionalHandle(bias)));

            /// <summary>[N, Cin, L] → [N, Cout, L']; weight [Cout, Cin/groups, K].</summary>
            public static Tensor conv1d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
                Conv(input, weight, bias, [stride], [padding], [dilation], groups);

            /// <summary>[N, Cin, H, W] → [N, Cout, H', W']; weight [Cout, Cin/groups, Kh, Kw].</summary>
            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? strides = null, long[]? padding = null, long[]? dilation = null, long groups = 1) =>
                Conv(input, weight, bias, strides ?? [1, 1], padding ?? [0, 0], dilation ?? [1, 1], groups);

            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias, long stride, long padding, long dilation = 1, long groups = 1) =>
                Conv(input, weight, bias, [stride, stride], [padding, padding], [dilation, dilation], groups);

            private static unsafe Tensor Conv(Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation, long groups)
            {
                fixed (long* s = stride)
                fixed (long* p = padding)
                fixed (long* d = dilation)
                {
                    return new Tensor(LibTorchShim.rh_conv(input.Handle, weight.Handle, Tensor.OptionalHandle(bias), s, p, d, stride.Length, groups));
                }
            }

            /// <summary>[N, Cin, H, W] → [N, Cout, H', W']; weight [Cin, Cout/groups, Kh, Kw].</summary>
            public static unsafe Tensor conv_transpose2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? strides = null, long[]? padding = null,
                long[]? output_padding = null, long groups = 1, long[]? dilation = null)
            {
                long[] s = strides ?? [1, 1], p = padding ?? [0, 0], o = output_padding ?? [0, 0], d = dilation ?? [1, 1];
                fixed (long* sp = s)
                fixed (long* pp = p)
                fixed (long* op = o)
                fixed (long* dp = d)
                {
                    return new Tensor(LibTorchShim.rh_conv_transpose(input.Handle, weight.Handle, Tensor.OptionalHandle(bias), sp, pp, op, dp, 2, groups));
                }
            }

            // ---- normalization

            public static unsafe Tensor layer_norm(Tensor input, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                fixed (long* s = normalized_shape)
                {
                    return new Tensor(LibTorchShim.rh_layer_norm(input.Handle, s, normalized_shape.Length, Tensor.OptionalHandle(weight), Tensor.OptionalHandle(bias), eps));
                }
            }

            /// <summary>[N, C, *] normalized over groups of C/groups channels.</summary>
            public static Tensor group_norm(Tensor input, long num_groups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) =>
                new(LibTorchShim.rh_group_norm(input.Handle, num_groups, Tensor.OptionalHandle(weight), Tensor.OptionalHandle(bias), eps));

            public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null,
                bool training = false, double momentum = 0.1, double eps = 1e-5) =>
                new(LibTorchShim.rh_batch_norm(input.Handle, Tensor.OptionalHandle(weight), Tensor.OptionalHandle(bias), Tensor.OptionalHandle(running_mean), Tensor.OptionalHandle(running_var), training ? 1 : 0, momentum, eps));

            /// <summary>x / max(‖x‖_p over dim, eps).</summary>
            public static Tensor normalize(Tensor input, double p = 2, long dim = 1, double eps = 1e-12) =>
                new(LibTorchShim.rh_normalize(input.Handle, p, dim, eps));

            public static Tensor cosine_similarity(Tensor x1, Tensor x2, long dim = 1, double eps = 1e-8) =>
                new(LibTorchShim.rh_cosine_similarity(x1.Handle, x2.Handle, dim, eps));

            // ---- pooling and resampling

            private static unsafe Tensor Pool(Tensor input, PoolOp op, long[] kernel, long[] stride, long[] padding)
            {
                fixed (long* k = kernel)
                fixed (long* s = stride)
                fixed (long* p = padding)
                {
                    return new Tensor(LibTorchShim.rh_pool(input.Handle, op, k, s, p, kernel.Length));
                }
            }

            public static Tensor max_pool2d(Tensor input, long kernel_size, long? stride = null, long padding = 0) =>
                Pool(input, PoolOp.MaxPool2d, [kernel_size, kernel_size], [stride ?? kernel_size, stride ?? kernel_size], [padding, padding]);
            public static Tensor avg_pool2d(Tensor input, long kernel_size, long? stride = null, long padding = 0) =>
                Pool(input, PoolOp.AvgPool2d, [kernel_size, kernel_size], [stride ?? kernel_size, stride ?? kernel_size], [padding, padding]);
            public static Tensor max_pool1d(Tensor input, long kernel_size, long? stride = null, long padding = 0) =>
                Pool(input, PoolOp.MaxPool1d, [kernel_size], [stride ?? kernel_size], [padding]);
            public static Tensor avg_pool1d(Tensor input, long kernel_size, long? stride = null, long padding = 0) =>
                Pool(input, PoolOp.AvgPool1d, [kernel_size], [stride ?? kernel_size], [padding]);
            public static Tensor adaptive_avg_pool2d(Tensor input, long[] output_size) => Pool(input, PoolOp.AdaptiveAvgPool2d, output_size, [1, 1], [0, 0]);
            public static Tensor adaptive_max_pool2d(Tensor input, long[] output_size) => Pool(input, PoolOp.AdaptiveMaxPool2d, output_size, [1, 1], [0, 0]);

            /// <summary>
            /// Resizes [N, C, L] (nearest, linear, area) or [N, C, H, W] (nearest, bilinear, bicubic, area) to <paramref name="size"/>,
            /// or by <paramref name="scale_factor"/> (output = floor(input · scale)).
            /// </summary>
            public static unsafe Tensor interpolate(Tensor input, long[]? size = null, double[]? scale_factor = null,
                InterpolationMode mode = InterpolationMode.Nearest, bool? align_corners = null)
            {
                var spatial = (int)input.Dimensions - 2;
                if (spatial is < 1 or > 2) throw new ArgumentException($"interpolate takes [N, C, L] or [N, C, H, W], got {input.Dimensions} dims");
                if (size is null)
                {
                    if (scale_factor is null) throw new ArgumentException("interpolate needs size or scale_factor");
                    var inputShape = input.shape;
                    size = new long[spatial];
                    for (var i = 0; i < spatial; i++)
                    {
                        size[i] = (long)Math.Floor(inputShape[i + 2] * scale_factor[scale_factor.Length == 1 ? 0 : i]);
                    }
                }
                if (size.Length != spatial) throw new ArgumentException($"size has {size.Length} entries for {spatial} spatial dims");
                fixed (long* s = size)
                {
                    return new Tensor(LibTorchShim.rh_interpolate(input.Handle, s, spatial, (int)mode, align_corners == true ? 1 : 0));
                }
            }

            /// <summary>
            /// Samples input [N, C, H, W] at grid [N, Ho, Wo, 2] (x, y in [-1, 1]) → [N, C, Ho, Wo]. align_corners = true maps
            /// -1 and 1 to the centres of the corner pixels, false to their outer edges.
            /// </summary>
            public static Tensor grid_sample(Tensor input, Tensor grid, GridSampleMode mode = GridSampleMode.Bilinear,
                GridSamplePaddingMode padding_mode = GridSamplePaddingMode.Zeros, bool? align_corners = null) =>
                new(LibTorchShim.rh_grid_sample(input.Handle, grid.Handle, (int)mode, (int)padding_mode, align_corners == true ? 1 : 0));

            /// <summary>[N, C·r², H, W] → [N, C, H·r, W·r].</summary>
            public static Tensor pixel_shuffle(Tensor input, long upscale_factor) => new(LibTorchShim.rh_pixel_shuffle(input.Handle, upscale_factor, 0));
            public static Tensor pixel_unshuffle(Tensor input, long downscale_factor) => new(LibTorchShim.rh_pixel_shuffle(input.Handle, downscale_factor, 1));

            /// <summary>Pads the last dims: pad = (left, right[, top, bottom]) as in PyTorch.</summary>
            public static unsafe Tensor pad(Tensor input, long[] pad, PaddingModes mode = PaddingModes.Constant, double value = 0)
            {
                fixed (long* p = pad)
                {
                    return new Tensor(LibTorchShim.rh_pad(input.Handle, p, pad.Length, (int)mode, value));
                }
            }

            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true) =>
                new(LibTorchShim.rh_dropout(input.Handle, p, training ? 1 : 0));

            // ---- activations

            public static Tensor relu(Tensor x) => x.relu();
            public static Tensor sigmoid(Tensor x) => x.sigmoid();
            public static Tensor tanh(Tensor x) => x.tanh();
            public static Tensor silu(Tensor x) => new(LibTorchShim.rh_unary(x.Handle, UnaryOp.Silu));
            public static Tensor gelu(Tensor x, bool tanhApproximation = false) =>
                new(LibTorchShim.rh_unary(x.Handle, tanhApproximation ? UnaryOp.GeluTanh : UnaryOp.Gelu));
            public static Tensor leaky_relu(Tensor x, double negative_slope = 0.01) =>
                new(LibTorchShim.rh_activation(x.Handle, ActivationOp.LeakyRelu, negative_slope, 0));
            /// <summary>(1/β)·log(1 + exp(β·x)), linear above the threshold.</summary>
            public static Tensor softplus(Tensor x, double beta = 1, double threshold = 20) =>
                new(LibTorchShim.rh_activation(x.Handle, ActivationOp.Softplus, beta, threshold));
            public static Tensor elu(Tensor x, double alpha = 1) => new(LibTorchShim.rh_activation(x.Handle, ActivationOp.Elu, alpha, 0));
            public static Tensor hardtanh(Tensor x, double min_val = -1, double max_val = 1) =>
                new(LibTorchShim.rh_activation(x.Handle, ActivationOp.Hardtanh, min_val, max_val));
            public static Tensor softmax(Tensor x, long dim) => x.softmax(dim);
            public static Tensor log_softmax(Tensor x, long dim) => x.log_softmax(dim);

            // ---- losses

            private static Tensor Loss(Tensor input, Tensor target, LossOp op, Reduction reduction) =>
                new(LibTorchShim.rh_loss(input.Handle, target.Handle, op, (int)reduction));

            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => Loss(input, target, LossOp.Mse, reduction);
            public static Tensor l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => Loss(input, target, LossOp.L1, reduction);
            public static Tensor smooth_l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => Loss(input, target, LossOp.SmoothL1, reduction);
            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                Loss(input, target, LossOp.BceWithLogits, reduction);
            public static Tensor binary_cross_entropy(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                Loss(input, target, LossOp.Bce, reduction);
            /// <summary>input [N, C] logits, target [N] class indices (int64).</summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                Loss(input, target, LossOp.CrossEntropy, reduction);
        }
    }
}

public enum InterpolationMode { Nearest = 0, Linear = 1, Bilinear = 2, Bicubic = 3, Area = 4 }

/// <summary>aten::grid_sampler interpolation codes.</summary>
public enum GridSampleMode { Bilinear = 0, Nearest = 1, Bicubic = 2 }

/// <summary>aten::grid_sampler padding codes.</summary>
public enum GridSamplePaddingMode { Zeros = 0, Border = 1, Reflection = 2 }

public enum PaddingModes { Constant = 0, Reflect = 1, Replicate = 2, Circular = 3 }
