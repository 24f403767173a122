using RealtimeHead.Torch.Interop;

namespace RealtimeHead.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        private unsafe Tensor ShapeOp(ShapeOp op, ReadOnlySpan<long> values)
        {
            fixed (long* p = values)
            {
                return new Tensor(LibTorchShim.rh_shape_op(Handle, op, p, values.Length));
            }
        }

        private Tensor DimOp(DimOp op, long a, long b = 0, long c = 0, long d = 0) => new(LibTorchShim.rh_dim_op(Handle, op, a, b, c, d));

        public Tensor reshape(params long[] shape) => ShapeOp(Interop.ShapeOp.Reshape, shape);
        public Tensor view(params long[] shape) => ShapeOp(Interop.ShapeOp.View, shape);
        public Tensor permute(params long[] dims) => ShapeOp(Interop.ShapeOp.Permute, dims);
        public Tensor expand(params long[] shape) => ShapeOp(Interop.ShapeOp.Expand, shape);
        public Tensor expand_as(Tensor other) => expand(other.shape);
        public Tensor repeat(params long[] repeats) => ShapeOp(Interop.ShapeOp.Repeat, repeats);
        public Tensor flip(params long[] dims) => ShapeOp(Interop.ShapeOp.Flip, dims);
        public Tensor squeeze() => ShapeOp(Interop.ShapeOp.SqueezeAll, default);
        public Tensor contiguous() => ShapeOp(Interop.ShapeOp.Contiguous, default);

        public Tensor transpose(long dim0, long dim1) => DimOp(Interop.DimOp.Transpose, dim0, dim1);
        public Tensor t() => transpose(0, 1);
        public Tensor squeeze(long dim) => DimOp(Interop.DimOp.Squeeze, dim);
        public Tensor unsqueeze(long dim) => DimOp(Interop.DimOp.Unsqueeze, dim);
        public Tensor flatten(long start_dim = 0, long end_dim = -1) => DimOp(Interop.DimOp.Flatten, start_dim, end_dim);
        public Tensor select(long dim, long index) => DimOp(Interop.DimOp.Select, dim, index);
        public Tensor narrow(long dim, long start, long length) => DimOp(Interop.DimOp.Narrow, dim, start, length);
        /// <summary>Elements start, start+step, ... before end along dim (a view, like PyTorch's t[start:end:step]).</summary>
        public Tensor slice(long dim, long start, long end, long step = 1) => DimOp(Interop.DimOp.Slice, dim, start, end, step);

        public Tensor[] chunk(long chunks, long dim = 0) => Split(null, chunks, dim);
        public Tensor[] split(long[] sizes, long dim = 0) => Split(sizes, 0, dim);

        /// <summary>Splits into pieces of <paramref name="size"/> along dim (the last may be smaller).</summary>
        public Tensor[] split(long size, long dim = 0)
        {
            var length = this.size((int)dim);
            var sizes = new long[(length + size - 1) / size];
            for (var i = 0; i < sizes.Length; i++) sizes[i] = Math.Min(size, length - i * size);
            return Split(sizes, 0, dim);
        }

        private unsafe Tensor[] Split(long[]? sizes, long chunks, long dim)
        {
            var capacity = sizes?.Length ?? (int)Math.Max(chunks, 1);
            var handles = new IntPtr[capacity];
            long count;
            fixed (long* s = sizes)
            fixed (IntPtr* output = handles)
            {
                count = LibTorchShim.rh_split(Handle, s, sizes?.Length ?? 0, chunks, dim, output, capacity);
            }
            TorchException.CheckStatus(count);
            var result = new Tensor[count];
            for (var i = 0; i < count; i++) result[i] = new Tensor(handles[i]);
            return result;
        }

        // ---- gather / scatter

        private Tensor IndexOp(IndexOp op, long dim, Tensor index, Tensor? source = null) =>
            new(LibTorchShim.rh_index_op(Handle, op, dim, index.Handle, OptionalHandle(source)));

        public Tensor index_select(long dim, Tensor index) => IndexOp(Interop.IndexOp.IndexSelect, dim, index);
        public Tensor gather(long dim, Tensor index) => IndexOp(Interop.IndexOp.Gather, dim, index);
        public Tensor masked_select(Tensor mask) => IndexOp(Interop.IndexOp.MaskedSelect, 0, mask);
        public Tensor scatter(long dim, Tensor index, Tensor source) => IndexOp(Interop.IndexOp.Scatter, dim, index, source);
        public Tensor scatter_add(long dim, Tensor index, Tensor source) => IndexOp(Interop.IndexOp.ScatterAdd, dim, index, source);
        public Tensor index_add(long dim, Tensor index, Tensor source) => IndexOp(Interop.IndexOp.IndexAdd, dim, index, source);
        public Tensor take(Tensor index) => IndexOp(Interop.IndexOp.Take, 0, index);
        public Tensor nonzero() => new(LibTorchShim.rh_nonzero(Handle));

        /// <summary>Advanced indexing: one index tensor per leading dim, null for a full slice of that dim.</summary>
        public unsafe Tensor index(params Tensor?[] indices)
        {
            var handles = new IntPtr[indices.Length];
            for (var i = 0; i < indices.Length; i++) handles[i] = indices[i]?.Handle.DangerousGetHandle() ?? IntPtr.Zero;
            fixed (IntPtr* p = handles)
            {
                var result = new Tensor(LibTorchShim.rh_index(Handle, p, handles.Length));
                GC.KeepAlive(indices);
                return result;
            }
        }

        /// <summary>In place: this[indices] = values (or += with accumulate).</summary>
        public unsafe Tensor index_put_(Tensor values, Tensor?[] indices, bool accumulate = false)
        {
            var handles = new IntPtr[indices.Length];
            for (var i = 0; i < indices.Length; i++) handles[i] = indices[i]?.Handle.DangerousGetHandle() ?? IntPtr.Zero;
            fixed (IntPtr* p = handles)
            {
                TorchException.CheckStatus(LibTorchShim.rh_index_put_(Handle, p, handles.Length, values.Handle, accumulate ? 1 : 0));
            }
            GC.KeepAlive(indices);
            return this;
        }

        /// <summary>
        /// Basic and advanced indexing in PyTorch's notation: <c>x[TensorIndex.Ellipsis, TensorIndex.Slice(0, 3), 1]</c>.
        /// Integers select (dropping the dim), slices and None keep views; one tensor index may follow the basic ones.
        /// </summary>
        public Tensor this[params TensorIndex[] indices]
        {
            get => Index(indices);
            set
            {
                using var scope = NewDisposeScope();
                var (view, tensorIndex, tensorDim) = BasicIndex(indices);
                if (tensorIndex is null)
                {
                    view.copy_(value);
                    return;
                }
                var prefix = new Tensor?[tensorDim + 1];
                prefix[tensorDim] = tensorIndex;
                view.index_put_(value, prefix);
            }
        }

        public Tensor this[long index] => select(0, index);

        private Tensor Index(TensorIndex[] indices)
        {
            Tensor result;
            using (var scope = NewDisposeScope())
            {
                var (view, tensorIndex, tensorDim) = BasicIndex(indices);
                if (tensorIndex is null)
                {
                    result = view.alias();
                }
                else
                {
                    var prefix = new Tensor?[tensorDim + 1];
                    prefix[tensorDim] = tensorIndex;
                    result = view.index(prefix);
                }
                result.MoveToOuterDisposeScope();
            }
            return result;
        }

        /// <summary>Applies the basic indices; returns the view and the (single) tensor index with the dim it applies to.</summary>
        private (Tensor view, Tensor? tensorIndex, int tensorDim) BasicIndex(TensorIndex[] indices)
        {
            var consuming = indices.Count(i => i.Kind is TensorIndex.IndexKind.Single or TensorIndex.IndexKind.Slice or TensorIndex.IndexKind.Tensor);
            var rank = (int)Dimensions;
            if (consuming > rank) throw new ArgumentException($"{consuming} indices for a tensor of {rank} dims");
            var view = alias();
            var dim = 0;
            Tensor? tensorIndex = null;
            var tensorDim = -1;
            foreach (var index in indices)
            {
                if (tensorIndex is not null) throw new NotSupportedException("a tensor index must be the last index");
                switch (index.Kind)
                {
                    case TensorIndex.IndexKind.Single:
                        view = view.select(dim, index.Start ?? 0);
                        rank--;
                        consuming--;
                        break;
                    case TensorIndex.IndexKind.Slice:
                        var length = view.size(dim);
                        view = view.slice(dim, index.Start ?? 0, index.Stop ?? length, index.Step ?? 1);
                        dim++;
                        consuming--;
                        break;
                    case TensorIndex.IndexKind.None:
                        view = view.unsqueeze(dim);
                        dim++;
                        rank++;
                        break;
                    case TensorIndex.IndexKind.Ellipsis:
                        dim = rank - consuming;
                        break;
                    case TensorIndex.IndexKind.Tensor:
                        tensorIndex = index.IndexTensor;
                        tensorDim = dim;
                        break;
                }
            }
            return (view, tensorIndex, tensorDim);
        }
    }
}

/// <summary>One index of <c>tensor[...]</c>: an integer, a slice, None (new axis), an ellipsis or a tensor.</summary>
public readonly struct TensorIndex
{
    internal enum IndexKind { Single, Slice, None, Ellipsis, Tensor }

    private TensorIndex(IndexKind kind, long? start = null, long? stop = null, long? step = null, torch.Tensor? tensor = null)
    {
        Kind = kind;
        Start = start;
        Stop = stop;
        Step = step;
        IndexTensor = tensor;
    }

    internal IndexKind Kind { get; }
    internal long? Start { get; }
    internal long? Stop { get; }
    internal long? Step { get; }
    internal torch.Tensor? IndexTensor { get; }

    public static TensorIndex Single(long index) => new(IndexKind.Single, index);
    public static TensorIndex Slice(long? start = null, long? stop = null, long? step = null) => new(IndexKind.Slice, start, stop, step);
    public static readonly TensorIndex Colon = new(IndexKind.Slice);
    public static readonly TensorIndex Ellipsis = new(IndexKind.Ellipsis);
    public static readonly TensorIndex None = new(IndexKind.None);
    public static TensorIndex Tensor(torch.Tensor index) => new(IndexKind.Tensor, tensor: index);

    public static implicit operator TensorIndex(long index) => Single(index);
    public static implicit operator TensorIndex(torch.Tensor index) => Tensor(index);

    /// <summary>C# ranges map to slices; only from-start indices are supported (no ^n) since shapes are not known here.</summary>
    public static implicit operator TensorIndex(Range range)
    {
        if (range.Start.IsFromEnd && range.Start.Value != 0 || range.End.IsFromEnd && range.End.Value != 0)
        {
            throw new NotSupportedException("ranges counted from the end are not supported in tensor indices; use TensorIndex.Slice with a negative bound");
        }
        long? start = range.Start.IsFromEnd ? null : range.Start.Value;
        long? stop = range.End.IsFromEnd ? null : range.End.Value;
        return Slice(start, stop);
    }
}
