using RealtimeHead.Torch.Modules;

namespace RealtimeHead.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>torch.nn.init: in-place initialisers (no autograd record), drawing from the seeded generator.</summary>
        public static class init
        {
            public static Tensor uniform_(Tensor tensor, double a = 0, double b = 1)
            {
                using var _ = no_grad();
                using var scope = NewDisposeScope();
                return tensor.copy_(rand(tensor.shape, tensor.dtype, tensor.device) * (b - a) + a);
            }

            public static Tensor normal_(Tensor tensor, double mean = 0, double std = 1)
            {
                using var _ = no_grad();
                using var scope = NewDisposeScope();
                return tensor.copy_(randn(tensor.shape, tensor.dtype, tensor.device) * std + mean);
            }

            public static Tensor zeros_(Tensor tensor)
            {
                using var _ = no_grad();
                return tensor.zero_();
            }

            public static Tensor ones_(Tensor tensor)
            {
                using var _ = no_grad();
                return tensor.fill_(1);
            }

            public static Tensor constant_(Tensor tensor, double value)
            {
                using var _ = no_grad();
                return tensor.fill_(value);
            }

            /// <summary>Glorot &amp; Bengio 2010: U(-a, a), a = gain·√(6 / (fan_in + fan_out)).</summary>
            public static Tensor xavier_uniform_(Tensor tensor, double gain = 1)
            {
                var (fanIn, fanOut) = Fans(tensor);
                var bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
                return uniform_(tensor, -bound, bound);
            }

            /// <summary>He et al. 2015: U(-b, b), b = gain·√(3 / fan_in), gain = √(2 / (1 + a²)) for leaky ReLU slope a.</summary>
            public static Tensor kaiming_uniform_(Tensor tensor, double a = 0)
            {
                var (fanIn, _) = Fans(tensor);
                var gain = Math.Sqrt(2.0 / (1 + a * a));
                var bound = gain * Math.Sqrt(3.0 / fanIn);
                return uniform_(tensor, -bound, bound);
            }

            public static Tensor kaiming_normal_(Tensor tensor, double a = 0)
            {
                var (fanIn, _) = Fans(tensor);
                var gain = Math.Sqrt(2.0 / (1 + a * a));
                return normal_(tensor, 0, gain / Math.Sqrt(fanIn));
            }

            private static (long fanIn, long fanOut) Fans(Tensor tensor)
            {
                var shape = tensor.shape;
                if (shape.Length < 2) throw new ArgumentException("fan in/out needs a tensor of at least 2 dims");
                long receptive = 1;
                for (var i = 2; i < shape.Length; i++) receptive *= shape[i];
                return (shape[1] * receptive, shape[0] * receptive);
            }

            /// <summary>PyTorch's default for Linear/Conv weight and bias: U(-1/√fan_in, 1/√fan_in).</summary>
            internal static Parameter DefaultUniform(long[] shape, long fanIn)
            {
                var bound = fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0;
                using var _ = no_grad();
                using var scope = NewDisposeScope();
                return new Parameter(rand(shape) * (2 * bound) - bound);
            }

            /// <summary>A parameter holding a constant (LayerNorm/GroupNorm scale and shift).</summary>
            internal static Parameter Constant(long[] shape, double value)
            {
                using var scope = NewDisposeScope();
                return new Parameter(full(shape, value));
            }
        }

        // Factories named as in TorchSharp (torch.nn.Linear(...) returns the module).
        public static Linear Linear(long inputSize, long outputSize, bool hasBias = true) => new(inputSize, outputSize, hasBias);
        public static Conv1d Conv1d(long in_channels, long out_channels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool bias = true) =>
            new(in_channels, out_channels, kernelSize, stride, padding, dilation, groups, bias);
        public static Conv2d Conv2d(long in_channels, long out_channels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool bias = true) =>
            new(in_channels, out_channels, kernelSize, stride, padding, dilation, groups, bias);
        public static ConvTranspose2d ConvTranspose2d(long in_channels, long out_channels, long kernelSize, long stride = 1, long padding = 0, long output_padding = 0, bool bias = true) =>
            new(in_channels, out_channels, kernelSize, stride, padding, output_padding, bias);
        public static LayerNorm LayerNorm(long normalized_shape, double eps = 1e-5) => new(normalized_shape, eps);
        public static LayerNorm LayerNorm(long[] normalized_shape, double eps = 1e-5) => new(normalized_shape, eps);
        public static GroupNorm GroupNorm(long num_groups, long num_channels, double eps = 1e-5, bool affine = true) => new(num_groups, num_channels, eps, affine);
        public static BatchNorm2d BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1) => new(num_features, eps, momentum);
        public static Dropout Dropout(double p = 0.5) => new(p);
        public static Sequential Sequential(params Module<Tensor, Tensor>[] layers) => new(layers);
        public static ModuleList ModuleList(params Module[] modules) => new(modules);
        public static Activation ReLU() => new(nameof(ReLU), x => x.relu());
        public static Activation LeakyReLU(double negative_slope = 0.01) => new(nameof(LeakyReLU), x => functional.leaky_relu(x, negative_slope));
        public static Activation GELU() => new(nameof(GELU), x => functional.gelu(x));
        public static Activation SiLU() => new(nameof(SiLU), functional.silu);
        public static Activation Sigmoid() => new(nameof(Sigmoid), x => x.sigmoid());
        public static Activation Tanh() => new(nameof(Tanh), x => x.tanh());
        public static Activation Softplus(double beta = 1, double threshold = 20) => new(nameof(Softplus), x => functional.softplus(x, beta, threshold));
        public static Activation Identity() => new(nameof(Identity), x => x.alias());

        public static class utils
        {
            /// <summary>
            /// Scales the gradients of <paramref name="parameters"/> so their joint p-norm is at most max_norm; returns the norm before.
            /// </summary>
            public static unsafe double clip_grad_norm_(IEnumerable<Tensor> parameters, double max_norm, double norm_type = 2)
            {
                var list = parameters.ToList();
                var handles = Tensor.Handles(list);
                double total;
                fixed (IntPtr* p = handles)
                {
                    TorchException.CheckStatus(Interop.LibTorchShim.rh_clip_grad_norm(p, handles.Length, max_norm, norm_type, &total));
                }
                GC.KeepAlive(list);
                return total;
            }
        }
    }
}
