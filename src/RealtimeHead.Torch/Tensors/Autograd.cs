using RealtimeHead.Torch.Interop;

namespace RealtimeHead.Torch;

public static partial class torch
{
    /// <summary>Functional autograd (PyTorch's torch.autograd namespace).</summary>
    public static class autograd
    {
        /// <summary>
        /// torch.autograd.grad: the gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>,
        /// returned instead of accumulated into <c>.grad</c> (nothing's <c>.grad</c> changes). With
        /// <paramref name="create_graph"/> the results are themselves differentiable, which gradient penalties
        /// (StyleGAN2's R1) need. <paramref name="grad_outputs"/> weights each output (required for non-scalar outputs;
        /// a null entry means "ones" for a scalar). The graph is kept when <paramref name="retain_graph"/> is true, and by
        /// default when <paramref name="create_graph"/> is, as in PyTorch. An input the outputs do not depend on gets
        /// null with <paramref name="allow_unused"/>, and throws otherwise (PyTorch's default).
        /// </summary>
        public static unsafe Tensor?[] grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?>? grad_outputs = null,
            bool? retain_graph = null, bool create_graph = false, bool allow_unused = false)
        {
            ArgumentNullException.ThrowIfNull(outputs);
            ArgumentNullException.ThrowIfNull(inputs);
            if (outputs.Count == 0) throw new ArgumentException("grad needs at least one output", nameof(outputs));
            if (inputs.Count == 0) throw new ArgumentException("grad needs at least one input", nameof(inputs));
            if (grad_outputs is not null && grad_outputs.Count != outputs.Count)
            {
                throw new ArgumentException($"{grad_outputs.Count} grad_outputs for {outputs.Count} outputs", nameof(grad_outputs));
            }

            var outputHandles = Tensor.Handles(outputs);
            var inputHandles = Tensor.Handles(inputs);
            var gradHandles = grad_outputs?.Select(g => g is null ? IntPtr.Zero : g.Handle.DangerousGetHandle()).ToArray();
            var results = new IntPtr[inputs.Count];
            var retain = retain_graph ?? create_graph;
            int status;
            fixed (IntPtr* o = outputHandles)
            fixed (IntPtr* i = inputHandles)
            fixed (IntPtr* g = gradHandles)
            fixed (IntPtr* r = results)
            {
                status = LibTorchShim.rh_autograd_grad(o, outputHandles.Length, i, inputHandles.Length, gradHandles is null ? null : g,
                    retain ? 1 : 0, create_graph ? 1 : 0, r);
            }
            GC.KeepAlive(outputs);
            GC.KeepAlive(inputs);
            GC.KeepAlive(grad_outputs);
            TorchException.CheckStatus(status);

            // Wrap every native result first so none leaks if the allow_unused check below throws.
            var wrapped = results.Select(h => h == IntPtr.Zero ? null : new Tensor(h)).ToArray();
            if (!allow_unused)
            {
                var unused = Enumerable.Range(0, wrapped.Length).Where(k => wrapped[k] is null).ToList();
                if (unused.Count > 0)
                {
                    foreach (var t in wrapped) t?.Dispose();
                    throw new TorchException(
                        $"input(s) {string.Join(", ", unused)} of autograd.grad do not appear in the graph of the outputs; pass allow_unused: true to get null for them");
                }
            }
            return wrapped;
        }

        /// <summary>Single output, single input: d<paramref name="output"/>/d<paramref name="input"/> (same shape as the input).</summary>
        public static Tensor grad(Tensor output, Tensor input, Tensor? grad_output = null, bool? retain_graph = null, bool create_graph = false) =>
            grad([output], [input], grad_output is null ? null : [grad_output], retain_graph, create_graph)[0]!;
    }
}
