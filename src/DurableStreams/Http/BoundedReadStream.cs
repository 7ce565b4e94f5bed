namespace DurableStreams.Http;

/// <summary>
/// A response body with a stall deadline and a size bound: each read must produce bytes within
/// <c>stall</c> (the clock runs only while a read is pending, so a slow consumer is never blamed), and
/// the body may not exceed <c>maxBytes</c>. A stall aborts the connection and fails with
/// <see cref="ResponseStalledException"/> (inner <see cref="TimeoutException"/>); too many bytes
/// fail with <see cref="ResponseTooLargeException"/>. Every later read repeats the failure.
/// </summary>
internal sealed class BoundedReadStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly BodyLimits _limits;
    private CancellationTokenSource? _timer;
    private long _received;
    private Exception? _failure;

    public BoundedReadStream(Stream inner, BodyLimits limits)
    {
        _inner = inner;
        _limits = limits;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_failure is not null) throw _failure;
        cancellationToken.ThrowIfCancellationRequested();
        if (buffer.IsEmpty) return 0;
        // One byte past the limit is enough to tell that the body is too large.
        var allowed = _limits.MaxBytes - _received + 1;
        if (buffer.Length > allowed) buffer = buffer[..(int)allowed];

        var timer = _timer is { IsCancellationRequested: false } armed ? armed : _timer = new CancellationTokenSource();
        var stall = _received == 0 ? _limits.FirstStall : _limits.Stall;
        timer.CancelAfter(stall);
        var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timer)
            : default;
        int read;
        try
        {
            read = await _inner.ReadAsync(buffer, timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timer.IsCancellationRequested)
        {
            throw Fail(_limits.Stalled(stall, ex));
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested && ex.CancellationToken != cancellationToken)
        {
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
        finally
        {
            await registration.DisposeAsync().ConfigureAwait(false);
            // Disarmed between reads: only a read that is waiting can stall.
            if (!timer.IsCancellationRequested) timer.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        _received += read;
        if (_received > _limits.MaxBytes) throw Fail(_limits.TooLarge());
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Synchronous reads keep the same bounds (no caller in the SDK reads a body synchronously).
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    private Exception Fail(Exception failure)
    {
        _failure = failure;
        _inner.Dispose(); // aborts the connection: nothing more of this body is wanted
        return failure;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Telemetry.ReadTelemetry.Received(_limits.Url, Interlocked.Exchange(ref _received, 0));
            _inner.Dispose();
            _timer?.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        Telemetry.ReadTelemetry.Received(_limits.Url, Interlocked.Exchange(ref _received, 0));
        await _inner.DisposeAsync().ConfigureAwait(false);
        _timer?.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

}

/// <summary>
/// The bounds of one response body and the exceptions that report them. The first bytes may take
/// <c>firstStall</c> (a long-poll server may send its headers before the data it waits for); once the
/// body flows, every read must produce bytes within <c>stall</c>.
/// </summary>
internal sealed class BodyLimits(TimeSpan stall, TimeSpan firstStall, long maxBytes, StreamRequest request)
{
    public BodyLimits(TimeSpan stall, long maxBytes, StreamRequest request) : this(stall, stall, maxBytes, request) { }

    public TimeSpan Stall => stall;
    public TimeSpan FirstStall => firstStall;
    public long MaxBytes => maxBytes;
    public Uri Url => request.Url;

    public ResponseStalledException Stalled(TimeSpan waited, Exception inner) =>
        new($"The response body of {request.Method} {request.Url.AbsolutePath} stalled: no bytes for {waited.TotalSeconds:0.###} s.",
            request.Url, request.Offset, waited, new TimeoutException($"No response bytes within {waited.TotalSeconds:0.###} s.", inner));

    public ResponseTooLargeException TooLarge() =>
        new($"The response body of {request.Method} {request.Url.AbsolutePath} is larger than MaxResponseBytes ({maxBytes} bytes).",
            request.Url, request.Offset, maxBytes);
}
