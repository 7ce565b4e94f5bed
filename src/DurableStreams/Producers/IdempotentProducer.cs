using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DurableStreams.Http;
using DurableStreams.Logging;
using DurableStreams.Producers;
using DurableStreams.Telemetry;
using DurableStreams.Writing;

namespace DurableStreams;

/// <summary>
/// Exactly-once writer (Producer-Id / -Epoch / -Seq): messages are batched, batches are pipelined
/// up to a maximum in flight and retried with their original numbers, so a resend is deduplicated
/// by the server. Memory is bounded: appends wait when the buffer is full. <see cref="FlushAsync"/>
/// returns only when everything appended before it is stored, and throws the first failure.
/// </summary>
/// <remarks>
/// Each instance is a session of its producer id. With <see cref="IdempotentProducerOptions.Epoch"/>
/// unset, a new instance (a restart, a second process) claims the epoch after the last one used, so
/// its messages are stored under their own numbers and the older instance is fenced: that one then
/// fails with <see cref="StaleProducerEpochException"/>. A duplicate answer to a batch the instance
/// never sent means another writer holds that number: the instance claims past it (new session), or
/// fails with <see cref="ProducerEpochCollisionException"/>; when it cannot tell whether a batch was
/// stored it fails with <see cref="ProducerOutcomeUnknownException"/>. Each message is stored once, or
/// the caller gets an exception.
/// </remarks>
public sealed partial class IdempotentProducer : IAsyncDisposable
{
    private const int MaxGapRecoveries = 100;
    private const int RefusalsBeforeBackoff = 3;
    private const int MaxConsecutiveClaims = 5;

    private readonly DurableStream _stream;
    private readonly DurableStreamClient _client;

    internal DurableStreamClient Client => _client;
    private readonly IdempotentProducerOptions _options;
    private readonly object _gate = new();

    private List<byte[]> _open = [];
    private long _openBytes;
    private long _bufferedBytes;
    private int _outstandingBatches;
    private bool _lingerScheduled;
    private readonly Dictionary<(long Epoch, long Seq), ProducerBatch> _inFlight = [];
    // Batches fenced by a newer epoch, waiting to be resent under the claimed epoch in their original order.
    private readonly List<ProducerBatch> _fenced = [];
    private int _claims;
    private bool _failureReported;
    // A batch of this instance was stored (200) at the current epoch: the epoch is ours.
    private bool _epochConfirmed;
    // Epoch left unset: this instance starts a new session and claims past an earlier one.
    private readonly bool _newSession;
    private long _epoch;
    private long _nextSeq;
    private Exception? _failure;
    private TaskCompletionSource _idle = NewCompleted();
    private TaskCompletionSource _capacity = NewCompleted();
    private Task<CloseResult>? _close;
    // Batches answered with a sequence gap, in (epoch, seq) order, waiting until the server has answered
    // every batch before them; they then go out again together. While any waits, a new batch would only
    // reach the server ahead of the resends and be refused in turn, so none start.
    private readonly List<ProducerBatch> _parked = [];
    private readonly PipelineWindow _window;

    internal IdempotentProducer(DurableStream stream, DurableStreamClient client, IdempotentProducerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _stream = stream;
        _client = client;
        _options = options.Clone();
        _epoch = options.Epoch ?? 0;
        _newSession = options.Epoch is null;
        _window = new PipelineWindow(options.MaxInFlight);
        ProducerTelemetry.Register(this);
    }

    /// <summary>The producer identity.</summary>
    public string ProducerId => _options.ProducerId;

    /// <summary>
    /// The epoch this instance writes at: the one given in the options, or the one it claimed (a new
    /// session's claim past an earlier instance, or an auto-claim). Once a flush has succeeded the
    /// server holds it; a caller that keeps epochs stores it and starts the next instance above it.
    /// </summary>
    public long Epoch { get { lock (_gate) return _epoch; } }

    /// <summary>The sequence number the next batch will carry.</summary>
    public long NextSeq { get { lock (_gate) return _nextSeq; } }

    /// <summary>Queues bytes (on a JSON stream: one JSON value). Waits only while the buffer is full. The data is copied.</summary>
    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        await _stream.EnsureContentTypeAsync(cancellationToken).ConfigureAwait(false);
        if (_stream.IsJson) JsonBody.EnsureSingleValue(data.Span, nameof(data));
        else if (data.IsEmpty) throw new ArgumentException("An append needs data.", nameof(data));
        await AppendOwnedAsync(data.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues data the producer now owns and that is known to be valid for the stream.</summary>
    private ValueTask AppendOwnedAsync(byte[] data, CancellationToken cancellationToken)
    {
        // Common case without an async state machine: content type known, producer usable, room in
        // the buffer. Anything else (including every exception) takes the awaiting path below.
        if (_stream.ContentType is null) return AppendOwnedSlowAsync(data, cancellationToken);
        bool pump;
        lock (_gate)
        {
            if (_failure is not null || _close is not null || !HasRoomFor(data.Length))
                return AppendOwnedSlowAsync(data, cancellationToken);
            pump = Add(data);
        }
        if (pump) Pump();
        return default;
    }

    private async ValueTask AppendOwnedSlowAsync(byte[] data, CancellationToken cancellationToken)
    {
        await _stream.EnsureContentTypeAsync(cancellationToken).ConfigureAwait(false);
        bool pump;
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                ThrowIfUnusable();
                if (HasRoomFor(data.Length))
                {
                    pump = Add(data);
                    break;
                }
                if (_capacity.Task.IsCompleted) _capacity = new(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _capacity.Task;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        if (pump) Pump();
    }

    /// <summary>Queues UTF-8 text.</summary>
    public ValueTask AppendAsync(string text, CancellationToken cancellationToken = default) =>
        AppendAsync(Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text))), cancellationToken);

    /// <summary>Queues one JSON message serialized through <paramref name="typeInfo"/>.</summary>
    public ValueTask AppendJsonAsync<T>(T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        // The serializer's output is one JSON value in a fresh array: it needs neither a check nor a copy.
        AppendOwnedAsync(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), cancellationToken);

    /// <summary>Sends what is buffered and waits until everything appended so far is stored; throws the first failure.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        Task idle;
        lock (_gate)
        {
            ThrowIfFailed();
            SealOpen();
            idle = _idle.Task;
        }
        Pump();
        await idle.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate) ThrowIfFailed();
    }

    /// <summary>
    /// Flushes, then closes the stream with this producer's next sequence number (optionally with a
    /// final message, atomically). Repeating it returns the first result without another request.
    /// </summary>
    public Task<CloseResult> CloseStreamAsync(ReadOnlyMemory<byte>? finalData = null, CancellationToken cancellationToken = default)
    {
        lock (_gate) _close ??= CloseCoreAsync(finalData?.ToArray(), cancellationToken);
        return _close;
    }

    private async Task<CloseResult> CloseCoreAsync(byte[]? finalData, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var batch = new ProducerBatch(finalData is { Length: > 0 } ? [finalData] : [], finalData?.Length ?? 0);
        try
        {
            return await CloseBatchAsync(batch, finalData, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && LogFailed(batch, ex))
        {
            throw; // never reached: the filter only logs
        }
    }

    private async Task<CloseResult> CloseBatchAsync(ProducerBatch batch, byte[]? finalData, CancellationToken cancellationToken)
    {
        if (finalData is { Length: > 0 } && _stream.IsJson) JsonBody.EnsureSingleValue(finalData, nameof(finalData));
        lock (_gate) Number(batch);
        while (true)
        {
            Answer answer;
            long? serverSeq;
            Offset? finalOffset;
            Exception? failure;
            try
            {
                using var response = await PostThroughOutagesAsync(batch, close: true, cancellationToken).ConfigureAwait(false);
                answer = Judge(batch, response, closeOnly: batch.Count == 0, out serverSeq);
                finalOffset = ResponseHeaderReader.NextOffset(response);
            }
            catch (StaleProducerEpochException stale)
            {
                lock (_gate) failure = ClaimOrFail(batch, stale.CurrentEpoch, null, stale: true, requeue: false);
                if (failure is not null) throw failure;
                Log.EpochClaimed(_client.Http.Logger, ProducerId, _stream.Url.AbsolutePath, batch.Epoch);
                continue;
            }
            // A close without data is answered 204 whether it closed the stream or repeated an earlier
            // writer's number: only the stream itself tells.
            if (answer == Answer.Unverified)
                answer = (await _stream.HeadAsync(cancellationToken).ConfigureAwait(false)).Closed ? Answer.Stored : Answer.Collision;
            if (answer != Answer.Collision)
            {
                if (answer == Answer.Written) lock (_gate) Confirm(batch);
                return new CloseResult(finalOffset);
            }
            lock (_gate) failure = ClaimOrFail(batch, batch.Epoch, serverSeq, stale: false, requeue: false);
            if (failure is not null) throw failure;
            Log.EpochClaimed(_client.Http.Logger, ProducerId, _stream.Url.AbsolutePath, batch.Epoch);
        }
    }

    /// <summary>Flushes and stops; rethrows a failure that was not yet reported by <see cref="FlushAsync"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_failure is not null)
            {
                if (_failureReported) return;
                ThrowIfFailed();
            }
        }
        await FlushAsync().ConfigureAwait(false);
    }

    // Caller holds the lock. An empty buffer always takes the next message, however large.
    private bool HasRoomFor(int bytes) => _bufferedBytes == 0 || _bufferedBytes + bytes <= _options.BufferLimit;

    /// <summary>Adds to the open batch (caller holds the lock); true when <see cref="Pump"/> may have something to send now.</summary>
    private bool Add(byte[] data)
    {
        if (_open.Count > 0 && (_openBytes + data.Length > _options.MaxBatchBytes || _open.Count >= _options.MaxBatchItems))
            SealOpen();
        _open.Add(data);
        _openBytes += data.Length;
        _bufferedBytes += data.Length;
        if (_idle.Task.IsCompleted) _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_open.Count >= _options.MaxBatchItems || _openBytes >= _options.MaxBatchBytes)
            SealOpen();
        else if (_options.Linger > TimeSpan.Zero && !_lingerScheduled)
        {
            _lingerScheduled = true;
            _ = LingerAsync();
        }
        // Nothing to start without a sealed batch (or, without linger, the open one), nor with every
        // slot busy: a finishing request pumps again after taking its slot back under this lock.
        return (_sealed.Count > 0 || _options.Linger == TimeSpan.Zero) && _inFlight.Count < InFlightLimit;
    }

    // One request at a time until a batch is stored at the current epoch: a new session may still
    // have to claim past an earlier one (pipelined batches would all be fenced or collide and race to
    // claim), and an explicit epoch that collides then fails before any later batch is stored.
    private int InFlightLimit => _epochConfirmed ? _window.Size : 1;

    private async Task LingerAsync()
    {
        await Task.Delay(_options.Linger, _client.Options.TimeProvider).ConfigureAwait(false);
        lock (_gate)
        {
            _lingerScheduled = false;
            SealOpen();
        }
        Pump();
    }

    // Sealed batches waiting for an in-flight slot, in sequence order.
    private readonly Queue<ProducerBatch> _sealed = new();

    private void SealOpen()
    {
        if (_open.Count == 0) return;
        var batch = new ProducerBatch(_open, _openBytes);
        _sealed.Enqueue(batch);
        _outstandingBatches++;
        // Sized like the batch just sealed: batches tend to repeat their size, and the list then never
        // regrows (each regrowth copies it; a large one lands on the large object heap).
        _open = new List<byte[]>(Math.Min(batch.Count, _options.MaxBatchItems));
        _openBytes = 0;
    }

    /// <summary>Resends parked batches once they may go, then starts as many sealed batches as the in-flight limit allows.</summary>
    private void Pump()
    {
        List<ProducerBatch>? resends;
        lock (_gate) resends = TakeResendable();
        // Started in sequence order, so their requests are written in that order as far as free connections allow.
        if (resends is not null) foreach (var resend in resends) _ = SendAsync(resend);
        while (true)
        {
            ProducerBatch batch;
            lock (_gate)
            {
                if (_inFlight.Count >= InFlightLimit || _failure is not null) return;
                if (_fenced.Count == 0 && _parked.Count > 0) return;
                if (_fenced.Count > 0)
                {
                    // Resend fenced batches first, in order, once every request of the fenced epoch has
                    // come back (a straggler may still be fenced and must keep its place).
                    if (_inFlight.Keys.Any(key => key.Epoch < _epoch)) return;
                    batch = _fenced[0];
                    _fenced.RemoveAt(0);
                }
                else
                {
                    // Without linger, what accumulated while every slot was busy goes out as soon as one frees up.
                    if (_sealed.Count == 0 && _options.Linger == TimeSpan.Zero) SealOpen();
                    if (_sealed.Count == 0) return;
                    batch = _sealed.Dequeue();
                }
                Number(batch);
                _inFlight[(batch.Epoch, batch.Seq)] = batch;
            }
            _ = SendAsync(batch);
        }
    }

    /// <summary>
    /// All parked batches, once no batch numbered before the first of them is still unanswered (caller
    /// holds the lock). Resending them together costs one round trip per reordering rather than one per
    /// refused batch; one overtaken again is simply refused and parked again. After a failure they are
    /// all released, to fail.
    /// </summary>
    private List<ProducerBatch>? TakeResendable()
    {
        if (_parked.Count == 0) return null;
        var first = _parked[0];
        if (_failure is null)
            foreach (var waiting in _inFlight.Values)
                if (!waiting.Parked && (waiting.Epoch, waiting.Seq).CompareTo((first.Epoch, first.Seq)) < 0) return null;
        var resends = new List<ProducerBatch>(_parked);
        _parked.Clear();
        foreach (var resend in resends) resend.Parked = false;
        return resends;
    }

    private async Task SendAsync(ProducerBatch batch)
    {
        try
        {
            if (batch.Refusals > 0)
            {
                lock (_gate)
                    if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
                // The server keeps asking for a batch it has already acknowledged (it lost state?):
                // give it a moment rather than spin on refusals.
                if (batch.Refusals > RefusalsBeforeBackoff)
                    await Task.Delay(TimeSpan.FromMilliseconds(5), _client.Options.TimeProvider).ConfigureAwait(false);
            }
            Answer answer;
            long? serverSeq;
            Exception? failure;
            try
            {
                using var response = await PostThroughOutagesAsync(batch, close: false, CancellationToken.None).ConfigureAwait(false);
                answer = Judge(batch, response, closeOnly: false, out serverSeq);
            }
            catch (StaleProducerEpochException stale)
            {
                lock (_gate) failure = ClaimOrFail(batch, stale.CurrentEpoch, null, stale: true, requeue: true);
                if (failure is not null) throw failure;
                Claimed();
                return;
            }
            catch (ProducerSequenceGapException gap) when (gap.ExpectedSeq < batch.Seq && batch.Refusals < MaxGapRecoveries)
            {
                // An earlier batch of ours has not reached the server yet: park this one until
                // every earlier one is answered, then resend it (Pump).
                lock (_gate)
                {
                    if (batch.Refusals++ == 0 && batch.Epoch == _epoch) _window.Reordered(batch.Seq, _nextSeq);
                    batch.Parked = true;
                    var at = _parked.FindIndex(p => (p.Epoch, p.Seq).CompareTo((batch.Epoch, batch.Seq)) > 0);
                    _parked.Insert(at < 0 ? _parked.Count : at, batch);
                }
                LogReordered(batch, gap.ExpectedSeq);
                Pump();
                return;
            }
            if (answer == Answer.Collision)
            {
                lock (_gate) failure = ClaimOrFail(batch, batch.Epoch, serverSeq, stale: false, requeue: true);
                if (failure is not null) throw failure;
                Claimed();
                return;
            }
            Complete(batch, null, batch.Refusals > 0, answer == Answer.Written);
        }
        catch (Exception ex)
        {
            Complete(batch, ex, false, false);
        }
        Pump();
    }

    private void Complete(ProducerBatch batch, Exception? error, bool reordered, bool written)
    {
        TaskCompletionSource? idle = null, capacity;
        Exception? stopping = null;
        lock (_gate)
        {
            _inFlight.Remove((batch.Epoch, batch.Seq));
            _bufferedBytes -= batch.Bytes;
            _outstandingBatches--;
            if (error is null)
            {
                if (written) Confirm(batch);
                else _claims = 0;
                if (!reordered) _window.CompletedInOrder();
            }
            else
            {
                // Whatever failed, the caller learns whether this batch may be in the stream: an earlier
                // attempt under the same numbers may have landed even when the last one was refused.
                if (error is DurableStreamException failed and not ProducerEpochCollisionException
                    && (failed.Outcome is null || batch.MaybeDelivered))
                    failed.Outcome = batch.MaybeDelivered ? WriteOutcome.Unknown : WriteOutcome.NotStored;
                if (_failure is null) _failure = stopping = error;
            }
            if (_failure is not null)
            {
                // Nothing after a failed batch can land in order: drop what is still waiting (flush reports the failure).
                foreach (var waiting in _fenced.Concat(_sealed))
                {
                    _bufferedBytes -= waiting.Bytes;
                    _outstandingBatches--;
                }
                _fenced.Clear();
                _sealed.Clear();
            }
            if (_outstandingBatches == 0 && _open.Count == 0 || _failure is not null && _inFlight.Count == 0) idle = _idle;
            capacity = _capacity;
        }
        if (stopping is not null) LogFailed(batch, stopping);
        capacity.TrySetResult();
        idle?.TrySetResult();
        ProducerTelemetry.Completed(batch, _stream.Url, error);
    }

    private async Task<HttpResponseMessage> PostAsync(ProducerBatch batch, bool close, CancellationToken cancellationToken)
    {
        var hasBody = batch.Count > 0;
        var request = new StreamRequest
        {
            Method = HttpMethod.Post,
            Url = _stream.Url,
            Kind = close ? RequestKind.Close : RequestKind.Append,
            Body = hasBody ? new BatchBody(batch, _stream.IsJson) : null,
            ContentType = hasBody ? _stream.ContentType ?? ProtocolNames.OctetStream : null,
            // A fresh instance per request: an on-error recovery adds to it for that request only.
            Overrides = RequestOverrides.ForRequest(_options.Headers, null),
            RetryClass = RetryClass.Idempotent, // same (id, epoch, seq) on every attempt: the server deduplicates
            FailureReportedByCaller = true, // outages (41-43) and failures for good (44) are the producer's to log
        };
        request.Headers[ProtocolNames.ProducerId] = ProducerId;
        request.Headers[ProtocolNames.ProducerEpoch] = batch.Epoch.ToString(CultureInfo.InvariantCulture);
        request.Headers[ProtocolNames.ProducerSeq] = batch.Seq.ToString(CultureInfo.InvariantCulture);
        if (close) request.Headers[ProtocolNames.Closed] = "true";
        try
        {
            return await _client.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Kept across resends under the same numbers (a gap refusal does not undo an earlier attempt).
            if (request.MaybeDelivered) batch.MaybeDelivered = true;
        }
    }

    /// <summary>Rethrows the producer's failure (caller holds the lock); it then counts as reported.</summary>
    private void ThrowIfFailed()
    {
        if (_failure is null) return;
        _failureReported = true;
        ExceptionDispatchInfo.Throw(_failure);
    }

    private void ThrowIfUnusable()
    {
        ThrowIfFailed();
        if (_close is not null) throw new InvalidOperationException("The producer has closed the stream.");
    }

    private static TaskCompletionSource NewCompleted()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tcs.SetResult();
        return tcs;
    }
}
