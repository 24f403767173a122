using System.Runtime.InteropServices;
using System.Text;
using RealtimeHead.Torch.Interop;

namespace RealtimeHead.Torch;

public static partial class torch
{
    /// <summary>
    /// A libtorch tensor. Owns one native reference (a <see cref="TensorHandle"/>); operations return new tensors,
    /// which join the innermost <see cref="DisposeScope"/> of the thread so a scope per step frees all temporaries.
    /// Member names follow TorchSharp (and so PyTorch) so code ports either way mechanically.
    /// </summary>
    public partial class Tensor : IDisposable
    {
        private TensorHandle _handle;

        internal Tensor(IntPtr handle)
        {
            _handle = new TensorHandle(TorchException.CheckHandle(handle));
            OwningScope = DisposeScope.Current;
            OwningScope?.Register(this);
        }

        /// <summary>Wraps a native tensor that no dispose scope may own (Parameter: its module owns it).</summary>
        private protected Tensor(IntPtr handle, bool joinDisposeScope)
        {
            _handle = new TensorHandle(TorchException.CheckHandle(handle));
            if (!joinDisposeScope) return;
            OwningScope = DisposeScope.Current;
            OwningScope?.Register(this);
        }

        internal TensorHandle Handle =>
            _handle.IsClosed ? throw new ObjectDisposedException(nameof(Tensor), "This tensor has been disposed.") : _handle;

        /// <summary>The dispose scope this tensor belongs to, if any.</summary>
        internal DisposeScope? OwningScope { get; set; }

        public bool IsInvalid => _handle.IsClosed || _handle.IsInvalid;

        // ---- metadata

        public long[] shape
        {
            get
            {
                var handle = Handle;
                var result = new long[LibTorchShim.rh_tensor_ndim(handle)];
                unsafe
                {
                    fixed (long* p = result) LibTorchShim.rh_tensor_shape(handle, p);
                }
                return result;
            }
        }

        public long size(int dim)
        {
            var s = shape;
            return s[dim < 0 ? dim + s.Length : dim];
        }

        public long Dimensions => LibTorchShim.rh_tensor_ndim(Handle);
        public long dim() => Dimensions;
        public long numel() => LibTorchShim.rh_tensor_numel(Handle);
        public long NumberOfElements => numel();
        public ScalarType dtype => (ScalarType)LibTorchShim.rh_tensor_dtype(Handle);
        public long ElementSize => LibTorchShim.rh_tensor_element_size(Handle);
        public DeviceType device_type => (DeviceType)LibTorchShim.rh_tensor_device_type(Handle);
        public int device_index => LibTorchShim.rh_tensor_device_index(Handle);
        public Device device => new(device_type, device_type == DeviceType.CPU ? -1 : device_index);
        public bool is_contiguous() => LibTorchShim.rh_tensor_is_contiguous(Handle) != 0;

        public bool requires_grad
        {
            get => LibTorchShim.rh_tensor_requires_grad(Handle) != 0;
            set => TorchException.CheckStatus(LibTorchShim.rh_set_requires_grad(Handle, value ? 1 : 0));
        }

        public Tensor requires_grad_(bool requiresGrad = true)
        {
            requires_grad = requiresGrad;
            return this;
        }

        // ---- data transfer

        /// <summary>Copies the elements (moved to CPU, row-major) into a new managed array.</summary>
        public T[] data<T>() where T : unmanaged
        {
            var expected = ScalarTypeOf<T>();
            if (dtype != expected)
            {
                throw new InvalidOperationException($"data<{typeof(T).Name}>() needs a {expected} tensor, this one is {dtype}; convert with to_type first");
            }
            var result = new T[numel()];
            unsafe
            {
                fixed (T* p = result)
                {
                    TorchException.CheckStatus(LibTorchShim.rh_tensor_copy_to(Handle, p, (long)result.Length * sizeof(T)));
                }
            }
            return result;
        }

        /// <summary>Copies raw bytes of the tensor (CPU, row-major) into <paramref name="destination"/>.</summary>
        public void CopyTo(Span<byte> destination)
        {
            unsafe
            {
                fixed (byte* p = destination) TorchException.CheckStatus(LibTorchShim.rh_tensor_copy_to(Handle, p, destination.Length));
            }
        }

        /// <summary>Overwrites the elements from raw bytes of the same dtype and count (no autograd record).</summary>
        public void CopyFrom(ReadOnlySpan<byte> source)
        {
            unsafe
            {
                fixed (byte* p = source) TorchException.CheckStatus(LibTorchShim.rh_tensor_copy_from(Handle, p, source.Length));
            }
        }

        /// <summary>The single element of a one-element tensor.</summary>
        public T item<T>() where T : unmanaged
        {
            double value;
            unsafe
            {
                TorchException.CheckStatus(LibTorchShim.rh_tensor_item(Handle, &value));
            }
            if (typeof(T) == typeof(bool)) return (T)(object)(value != 0);
            if (typeof(T) == typeof(Half)) return (T)(object)(Half)value;
            return (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
        }

        public float ToSingle() => item<float>();
        public double ToDouble() => item<double>();
        public long ToInt64() => item<long>();
        public bool ToBoolean() => item<bool>();

        // ---- conversion

        public Tensor to(ScalarType type, bool copy = false) => to(type, device, copy);
        public Tensor to(Device target, bool copy = false) => to(dtype, target, copy);

        public Tensor to(ScalarType type, Device target, bool copy = false) =>
            new(LibTorchShim.rh_tensor_to(Handle, (sbyte)type, (sbyte)target.type, (sbyte)Math.Max(target.type == DeviceType.CPU ? -1 : 0, target.index), copy ? 1 : 0));

        public Tensor to_type(ScalarType type) => to(type);
        public Tensor cpu() => to(CPU);
        public Tensor cuda(int index = 0) => to(new Device(DeviceType.CUDA, index));
        public Tensor @float() => to(ScalarType.Float32);
        public Tensor @double() => to(ScalarType.Float64);
        public Tensor @long() => to(ScalarType.Int64);
        public Tensor @int() => to(ScalarType.Int32);
        public Tensor @bool() => to(ScalarType.Bool);
        public Tensor half() => to(ScalarType.Float16);
        public Tensor bfloat16() => to(ScalarType.BFloat16);

        public Tensor clone() => new(LibTorchShim.rh_tensor_clone(Handle));

        /// <summary>Shares storage, cut from the autograd graph.</summary>
        public Tensor detach() => new(LibTorchShim.rh_tensor_detach(Handle));

        /// <summary>Another reference to the same tensor (same storage, same autograd node).</summary>
        public Tensor alias() => new(LibTorchShim.rh_tensor_alias(Handle));

        // ---- autograd

        /// <summary>The accumulated gradient, or null before any backward pass reached this tensor.</summary>
        public Tensor? grad
        {
            get
            {
                var handle = LibTorchShim.rh_grad(Handle);
                if (handle == IntPtr.Zero)
                {
                    TorchException.ThrowIfPending();
                    return null;
                }
                return new Tensor(handle);
            }
        }

        public void backward(Tensor? gradient = null, bool retain_graph = false, bool create_graph = false) =>
            TorchException.CheckStatus(LibTorchShim.rh_backward(Handle, OptionalHandle(gradient), retain_graph ? 1 : 0, create_graph ? 1 : 0));

        /// <summary>Drops the accumulated gradient (set_to_none semantics).</summary>
        public void zero_grad() => TorchException.CheckStatus(LibTorchShim.rh_zero_grad(Handle));

        // ---- dispose scopes

        /// <summary>Moves this tensor from its scope to the enclosing one, so it outlives the current scope.</summary>
        public Tensor MoveToOuterDisposeScope()
        {
            var scope = OwningScope;
            if (scope is null) return this;
            scope.Unregister(this);
            OwningScope = scope.Outer;
            OwningScope?.Register(this);
            return this;
        }

        /// <summary>Removes this tensor from every scope: the caller now owns it.</summary>
        public Tensor DetachFromDisposeScope()
        {
            OwningScope?.Unregister(this);
            OwningScope = null;
            return this;
        }

        /// <summary>Replaces the native tensor behind this object (module.to moves parameters in place).</summary>
        internal void ReplaceHandle(Tensor replacement)
        {
            var next = new TensorHandle(TorchException.CheckHandle(LibTorchShim.rh_tensor_alias(replacement.Handle)));
            var previous = _handle;
            _handle = next;
            previous.Dispose();
        }

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (!disposing) return;
            OwningScope?.Unregister(this);
            OwningScope = null;
            _handle.Dispose();
        }

        public override string ToString()
        {
            if (_handle.IsClosed) return "tensor(disposed)";
            var text = new StringBuilder();
            text.Append('[').Append(string.Join(", ", shape)).Append("], type = ").Append(dtype).Append(", device = ").Append(device);
            return text.ToString();
        }

        internal static unsafe Tensor FromArray<T>(T[] data, ReadOnlySpan<long> shape, Device? target) where T : unmanaged
        {
            long count = 1;
            foreach (var s in shape) count *= s;
            if (count != data.Length)
            {
                throw new ArgumentException($"{data.Length} values do not fill shape [{string.Join(", ", shape.ToArray())}] ({count} elements)");
            }
            var type = ScalarTypeOf<T>();
            var dev = target ?? CPU;
            fixed (T* p = data)
            fixed (long* s = shape)
            {
                return new Tensor(LibTorchShim.rh_tensor_from_data(p, s, shape.Length, (sbyte)type, (sbyte)dev.type, (sbyte)Math.Max(dev.type == DeviceType.CPU ? -1 : 0, dev.index)));
            }
        }

        /// <summary>The handle of an optional tensor argument (a null handle when absent).</summary>
        internal static TensorHandle OptionalHandle(Tensor? tensor) => tensor is null ? TensorHandle.Null : tensor.Handle;

        internal static IntPtr[] Handles(IReadOnlyList<Tensor> tensors)
        {
            var result = new IntPtr[tensors.Count];
            for (var i = 0; i < result.Length; i++) result[i] = tensors[i].Handle.DangerousGetHandle();
            return result;
        }
    }
}
