using DurableStreams.Http;
using System.Buffers;

namespace DurableStreams.Reading;

/// <summary>
/// The typed messages of one response body, over the serializer's incremental decoder. Written by
/// hand rather than as an iterator so that an item the decoder already has costs one call, not a
/// second state machine per message; failures become typed exceptions carrying URL and offset.
/// </summary>
internal sealed class BodyItemEnumerator<T> : IAsyncEnumerator<T>
{
    private readonly IAsyncEnumerator<T?> _inner;
    private readonly byte[] _probe;
    private readonly Uri _url;
    private readonly string _offset;
    private readonly CancellationToken _cancellationToken;
    private bool _disposed;

    public BodyItemEnumerator(IAsyncEnumerator<T?> inner, byte[] probe, Uri url, string offset, CancellationToken cancellationToken)
    {
        _inner = inner;
        _probe = probe;
        _url = url;
        _offset = offset;
        _cancellationToken = cancellationToken;
    }

    public T Current { get; private set; } = default!;

    public ValueTask<bool> MoveNextAsync()
    {
        try
        {
            var moved = _inner.MoveNextAsync();
            if (!moved.IsCompletedSuccessfully) return AwaitAsync(moved);
            return new ValueTask<bool>(Take(moved.Result));
        }
        catch (Exception ex) when (!_cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromException<bool>(BatchDecoder.BodyFailure(ex, _url, _offset));
        }
        catch (Exception ex) when (CancellationRace.Lost(ex, _cancellationToken))
        {
            return ValueTask.FromException<bool>(CancellationRace.Cancelled(ex, _cancellationToken));
        }
    }

    private async ValueTask<bool> AwaitAsync(ValueTask<bool> moved)
    {
        try
        {
            return Take(await moved.ConfigureAwait(false));
        }
        catch (Exception ex) when (!_cancellationToken.IsCancellationRequested)
        {
            throw BatchDecoder.BodyFailure(ex, _url, _offset);
        }
        catch (Exception ex) when (CancellationRace.Lost(ex, _cancellationToken))
        {
            throw CancellationRace.Cancelled(ex, _cancellationToken);
        }
    }

    private bool Take(bool moved)
    {
        if (moved) Current = _inner.Current!;
        return moved;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            // The decoder read through the probe's bytes first; it is done with them now.
            ArrayPool<byte>.Shared.Return(_probe);
        }
    }
}
