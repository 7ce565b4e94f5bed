using System.Text.Json.Serialization.Metadata;

namespace DurableStreams.Reading;

/// <summary>
/// Every JSON message of a read, batch after batch. Hand-written so that an item already decoded
/// costs one call through this layer, not nested iterator state machines per message.
/// </summary>
internal sealed class ResponseItems<T>(StreamResponse response, ReadSession session, JsonTypeInfo<T> typeInfo, CancellationToken readToken)
    : IAsyncEnumerable<T>
{
    // The first batch stays with the response until enumeration starts, so disposing an unread response releases it.
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        new Enumerator(session, response.TakeFirstBatch(), typeInfo, readToken, cancellationToken);

    private sealed class Enumerator : IAsyncEnumerator<T>
    {
        private readonly ReadSession _session;
        private readonly JsonTypeInfo<T> _typeInfo;
        private readonly CancellationTokenSource? _linked;
        private readonly CancellationToken _token;
        private ReadBatch? _pending;
        private ReadBatch? _batch;
        private IAsyncEnumerator<T>? _items;
        private bool _ended;
        // Messages delivered from the current batch, counted into messaging.client.consumed.messages when it closes.
        private int _delivered;

        public Enumerator(ReadSession session, ReadBatch? first, JsonTypeInfo<T> typeInfo, CancellationToken readToken, CancellationToken enumeratorToken)
        {
            _session = session;
            _pending = first;
            _typeInfo = typeInfo;
            // Both the read's token and the enumerator's (WithCancellation) stop it, as with an iterator.
            if (readToken.CanBeCanceled && enumeratorToken.CanBeCanceled && readToken != enumeratorToken)
            {
                _linked = CancellationTokenSource.CreateLinkedTokenSource(readToken, enumeratorToken);
                _token = _linked.Token;
            }
            else _token = readToken.CanBeCanceled ? readToken : enumeratorToken;
        }

        public T Current { get; private set; } = default!;

        public ValueTask<bool> MoveNextAsync()
        {
            if (_items is { } items)
            {
                var moved = items.MoveNextAsync();
                if (moved.IsCompletedSuccessfully && moved.Result)
                {
                    Current = items.Current;
                    _delivered++;
                    return new ValueTask<bool>(true);
                }
                return MoveSlowAsync(moved);
            }
            return MoveSlowAsync(new ValueTask<bool>(false));
        }

        // One state machine: the exception filter only logs the failure that ends the read (event 104).
        private async ValueTask<bool> MoveSlowAsync(ValueTask<bool> moved)
        {
            try
            {
                if (_items is not null)
                {
                    if (await moved.ConfigureAwait(false))
                    {
                        Current = _items.Current;
                        _delivered++;
                        return true;
                    }
                    await CloseBatchAsync().ConfigureAwait(false);
                }
                while (!_ended)
                {
                    _token.ThrowIfCancellationRequested();
                    var batch = _pending ?? await _session.NextAsync(_token).ConfigureAwait(false);
                    _pending = null;
                    if (batch is null)
                    {
                        _ended = true;
                        break;
                    }
                    _batch = batch;
                    _items = await BatchDecoder.OpenItemsAsync(batch, _typeInfo, _session.Url, _session.ParallelDecoding, _token).ConfigureAwait(false);
                    if (await _items.MoveNextAsync().ConfigureAwait(false))
                    {
                        Current = _items.Current;
                        _delivered++;
                        return true;
                    }
                    await CloseBatchAsync().ConfigureAwait(false);
                }
                return false;
            }
            catch (Exception ex) when (_session.ReportFailure(ex))
            {
                throw; // never reached: the filter only logs
            }
        }

        private async ValueTask CloseBatchAsync()
        {
            var items = _items;
            var batch = _batch;
            Telemetry.ReadTelemetry.Consumed(_session.Url, _delivered);
            _delivered = 0;
            _items = null;
            _batch = null;
            try
            {
                if (items is not null) await items.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                batch?.Dispose();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _ended = true;
            try
            {
                _pending?.Dispose();
                _pending = null;
                await CloseBatchAsync().ConfigureAwait(false);
            }
            finally
            {
                _linked?.Dispose();
                await _session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
