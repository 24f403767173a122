using System.Reflection;

namespace RealtimeHead.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// A tensor that is a module's trainable state: requires grad, owned by its module (never by a dispose scope).
        /// </summary>
        public sealed class Parameter : Tensor
        {
            /// <summary>A leaf sharing <paramref name="data"/>'s storage but none of its autograd history.</summary>
            public Parameter(Tensor data, bool requires_grad = true)
                : base(Interop.LibTorchShim.rh_tensor_detach(data.Handle), joinDisposeScope: false)
            {
                this.requires_grad = requires_grad;
            }
        }

        /// <summary>
        /// Base of all modules (TorchSharp's Module): an ordered tree of named parameters, buffers and submodules.
        /// State-dict names follow the tree ("encoder.levels.0.weight"), as PyTorch's do.
        /// </summary>
        public abstract class Module : IDisposable
        {
            private readonly Dictionary<string, Parameter?> _parameters = new();
            private readonly Dictionary<string, (Tensor? tensor, bool persistent)> _buffers = new();
            private readonly Dictionary<string, Module> _modules = new();
            private readonly List<string> _parameterOrder = [];
            private readonly List<string> _bufferOrder = [];
            private readonly List<string> _moduleOrder = [];
            private bool _disposed;

            protected Module(string name) => GetName = name;

            public string GetName { get; }

            public bool training { get; private set; } = true;

            // ---- registration

            public void register_parameter(string name, Parameter? parameter)
            {
                ValidateName(name);
                if (!_parameters.ContainsKey(name)) _parameterOrder.Add(name);
                _parameters[name] = parameter;
            }

            public void register_buffer(string name, Tensor? tensor, bool persistent = true)
            {
                ValidateName(name);
                tensor?.DetachFromDisposeScope();
                if (!_buffers.ContainsKey(name)) _bufferOrder.Add(name);
                _buffers[name] = (tensor, persistent);
            }

            public void register_module(string name, Module module)
            {
                ValidateName(name);
                if (!_modules.ContainsKey(name)) _moduleOrder.Add(name);
                _modules[name] = module;
            }

            private static void ValidateName(string name)
            {
                if (string.IsNullOrEmpty(name) || name.Contains('.'))
                {
                    throw new ArgumentException($"'{name}' is not a valid member name (empty or contains '.')", nameof(name));
                }
            }

            /// <summary>
            /// Registers every field of type Parameter, Module (or a list of modules) by its field name, as TorchSharp's
            /// RegisterComponents does; a leading underscore is dropped ("_conv" → "conv").
            /// </summary>
            protected void RegisterComponents()
            {
                foreach (var field in GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
                {
                    var name = field.Name.TrimStart('_');
                    if (name.Contains('<')) continue; // compiler-generated backing fields of auto-properties
                    switch (field.GetValue(this))
                    {
                        case Parameter parameter:
                            if (!_parameters.ContainsKey(name)) register_parameter(name, parameter);
                            break;
                        case Module module:
                            if (!_modules.ContainsKey(name)) register_module(name, module);
                            break;
                        case IEnumerable<Module> list when field.FieldType != typeof(string):
                            if (!_modules.ContainsKey(name)) register_module(name, new Modules.ModuleList(list));
                            break;
                    }
                }
            }

            // ---- traversal

            public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
            {
                foreach (var name in _parameterOrder)
                {
                    if (_parameters[name] is { } p) yield return (name, p);
                }
                if (!recurse) yield break;
                foreach (var (childName, child) in named_children())
                {
                    foreach (var (name, p) in child.named_parameters(true)) yield return ($"{childName}.{name}", p);
                }
            }

            public IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse).Select(p => p.parameter);

            public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true) => NamedBuffers(recurse, persistentOnly: false);

            private IEnumerable<(string name, Tensor buffer)> NamedBuffers(bool recurse, bool persistentOnly)
            {
                foreach (var name in _bufferOrder)
                {
                    var (tensor, persistent) = _buffers[name];
                    if (tensor is not null && (persistent || !persistentOnly)) yield return (name, tensor);
                }
                if (!recurse) yield break;
                foreach (var (childName, child) in named_children())
                {
                    foreach (var (name, b) in child.NamedBuffers(true, persistentOnly)) yield return ($"{childName}.{name}", b);
                }
            }

            public IEnumerable<Tensor> buffers(bool recurse = true) => named_buffers(recurse).Select(b => b.buffer);

            public IEnumerable<(string name, Module module)> named_children() => _moduleOrder.Select(n => (n, _modules[n]));

            public IEnumerable<Module> children() => named_children().Select(c => c.module);

            public IEnumerable<(string name, Module module)> named_modules()
            {
                yield return (string.Empty, this);
                foreach (var (childName, child) in named_children())
                {
                    foreach (var (name, m) in child.named_modules())
                    {
                        yield return (name.Length == 0 ? childName : $"{childName}.{name}", m);
                    }
                }
            }

            // ---- state

            /// <summary>Parameters and persistent buffers by dotted name (the tensors themselves, not copies).</summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var result = new Dictionary<string, Tensor>();
                foreach (var (name, p) in named_parameters()) result[name] = p;
                foreach (var (name, b) in NamedBuffers(true, persistentOnly: true)) result[name] = b;
                return result;
            }

            /// <summary>
            /// Copies matching entries into this module's tensors (converting dtype and device). With <paramref name="strict"/>,
            /// any missing, unexpected or wrongly shaped entry throws, naming each; otherwise they are returned.
            /// </summary>
            public StateDictLoadResult load_state_dict(IReadOnlyDictionary<string, Tensor> source, bool strict = true)
            {
                var own = state_dict();
                var missing = own.Keys.Where(k => !source.ContainsKey(k)).ToList();
                var unexpected = source.Keys.Where(k => !own.ContainsKey(k)).ToList();
                var mismatched = new List<string>();
                foreach (var (name, target) in own)
                {
                    if (!source.TryGetValue(name, out var value)) continue;
                    var expectedShape = target.shape;
                    var actualShape = value.shape;
                    if (!expectedShape.SequenceEqual(actualShape))
                    {
                        mismatched.Add($"{name}: expected [{string.Join(", ", expectedShape)}], got [{string.Join(", ", actualShape)}]");
                    }
                }
                var result = new StateDictLoadResult(missing, unexpected, mismatched);
                if (strict && !result.IsExact) throw new StateDictMismatchException(result);
                using (no_grad())
                using (NewDisposeScope())
                {
                    foreach (var (name, target) in own)
                    {
                        if (!source.TryGetValue(name, out var value) || !target.shape.SequenceEqual(value.shape)) continue;
                        target.copy_(value.to(target.dtype, target.device));
                    }
                }
                return result;
            }

            // ---- modes and devices

            public virtual Module train(bool on = true)
            {
                training = on;
                foreach (var child in children()) child.train(on);
                return this;
            }

            public Module eval() => train(false);

            /// <summary>Moves (or converts) every parameter and buffer in place; references held elsewhere stay valid.</summary>
            public Module to(Device device) => Convert(t => t.to(device));

            /// <summary>Converts floating-point parameters and buffers to <paramref name="type"/> in place.</summary>
            public Module to(ScalarType type) => Convert(t => is_floating_point(t.dtype) ? t.to(type) : t.alias());

            private Module Convert(Func<Tensor, Tensor> convert)
            {
                using (no_grad())
                {
                    foreach (var tensor in parameters().Cast<Tensor>().Concat(buffers()))
                    {
                        var requiresGrad = tensor.requires_grad;
                        using var converted = convert(tensor).DetachFromDisposeScope();
                        tensor.ReplaceHandle(converted);
                        if (requiresGrad) tensor.requires_grad = true;
                    }
                }
                return this;
            }

            /// <summary>Drops every parameter's gradient.</summary>
            public void zero_grad()
            {
                foreach (var p in parameters()) p.zero_grad();
            }

            public void Dispose()
            {
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            protected virtual void Dispose(bool disposing)
            {
                if (_disposed || !disposing) return;
                _disposed = true;
                foreach (var child in children()) child.Dispose();
                foreach (var p in _parameters.Values) p?.Dispose();
                foreach (var (b, _) in _buffers.Values) b?.Dispose();
            }
        }

        /// <summary>A module with one input (TorchSharp's Module&lt;T, TResult&gt;).</summary>
        public abstract class Module<T, TResult> : Module
        {
            protected Module(string name) : base(name)
            {
            }

            public abstract TResult forward(T input);

            public TResult call(T input) => forward(input);
        }

        /// <summary>A module with two inputs.</summary>
        public abstract class Module<T1, T2, TResult> : Module
        {
            protected Module(string name) : base(name)
            {
            }

            public abstract TResult forward(T1 input1, T2 input2);

            public TResult call(T1 input1, T2 input2) => forward(input1, input2);
        }
    }
}

/// <summary>What load_state_dict found: entries the module has but the source lacks, extra entries, and shape mismatches.</summary>
public sealed record StateDictLoadResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys, IReadOnlyList<string> MismatchedShapes)
{
    public bool IsExact => MissingKeys.Count == 0 && UnexpectedKeys.Count == 0 && MismatchedShapes.Count == 0;

    public override string ToString()
    {
        var parts = new List<string>();
        if (MissingKeys.Count > 0) parts.Add($"missing: {string.Join(", ", MissingKeys)}");
        if (UnexpectedKeys.Count > 0) parts.Add($"unexpected: {string.Join(", ", UnexpectedKeys)}");
        if (MismatchedShapes.Count > 0) parts.Add($"wrong shape: {string.Join("; ", MismatchedShapes)}");
        return parts.Count == 0 ? "exact match" : string.Join(" | ", parts);
    }
}

public sealed class StateDictMismatchException(StateDictLoadResult result)
    : InvalidOperationException($"state dict does not match the module: {result}")
{
    public StateDictLoadResult Result { get; } = result;
}
