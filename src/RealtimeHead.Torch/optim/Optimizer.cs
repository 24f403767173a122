using RealtimeHead.Torch.Interop;
using RealtimeHead.Torch.Modules;

namespace RealtimeHead.Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>Base of optimizers: a fixed list of parameters and a step that updates them from their gradients.</summary>
        public abstract class Optimizer : IDisposable
        {
            protected Optimizer(IEnumerable<nn.Parameter> parameters)
            {
                Parameters = parameters.ToList();
                if (Parameters.Count == 0) throw new ArgumentException("optimizer got an empty parameter list", nameof(parameters));
            }

            protected IReadOnlyList<nn.Parameter> Parameters { get; }

            public abstract void step();

            public void zero_grad()
            {
                foreach (var p in Parameters) p.zero_grad();
            }

            /// <summary>The optimizer's state by name, for checkpoints (tensors are the optimizer's own, not copies).</summary>
            public abstract Dictionary<string, Tensor> state_dict();

            /// <summary>Restores state saved by <see cref="state_dict"/> from an optimizer over the same parameters.</summary>
            public abstract void load_state_dict(IReadOnlyDictionary<string, Tensor> state);

            public virtual void Dispose() => GC.SuppressFinalize(this);
        }

        public static Adam Adam(IEnumerable<nn.Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
            double weight_decay = 0) => new(parameters, lr, beta1, beta2, eps, weight_decay);

        public static AdamW AdamW(IEnumerable<nn.Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
            double weight_decay = 0.01) => new(parameters, lr, beta1, beta2, eps, weight_decay);
    }
}
