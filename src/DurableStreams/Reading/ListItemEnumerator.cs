namespace DurableStreams.Reading;

/// <summary>Messages already decoded: a small body read whole, the payloads of SSE events, or none.</summary>
internal sealed class ListItemEnumerator<T>(IReadOnlyList<T> items) : IAsyncEnumerator<T>
{
    private int _index = -1;

    public T Current => items[_index];

    public ValueTask<bool> MoveNextAsync() => new(++_index < items.Count);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
