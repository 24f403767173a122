namespace RealtimeHead.OnnxRuntime;

/// <summary>Outputs of a run: disposing the collection releases every value in it.</summary>
public interface IDisposableReadOnlyCollection<out T> : IReadOnlyList<T>, IDisposable
{
}

internal sealed class DisposableList<T>(List<T> items) : IDisposableReadOnlyCollection<T> where T : IDisposable
{
    public T this[int index] => items[index];

    public int Count => items.Count;

    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        foreach (var item in items) item.Dispose();
        items.Clear();
    }
}
