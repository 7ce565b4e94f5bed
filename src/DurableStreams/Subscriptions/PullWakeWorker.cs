using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using DurableStreams.Consumers;
using DurableStreams.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableStreams.Subscriptions;

/// <summary>
/// A pull-wake worker (PROTOCOL.md section 7.2): tails the subscription's wake stream, claims the subscription when
/// it wakes, reads each woken stream from its acked offset and hands every message, in order, to an
/// <see cref="IStreamHandler{T}"/>; acks progress on a heartbeat that keeps the lease, and finishes the wake with
/// <c>done</c>. Any number of instances may share a subscription: one holds the lease at a time, the others wait for
/// the next wake. Delivery is at least once: after a crash or a lost lease, messages handled since the last ack are
/// handed out again; while a lease holds, no message is handed out twice.
/// </summary>
/// <typeparam name="T">The message type of the subscribed streams.</typeparam>
public sealed partial class PullWakeWorker<T>
{
    private readonly SubscriptionClient _subscriptions;
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly IStreamHandler<T> _handler;
    private readonly IDeadLetterHandler<T>? _deadLetter;
    private readonly PullWakeWorkerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>A worker for <see cref="PullWakeWorkerOptions.SubscriptionId"/>.</summary>
    /// <param name="subscriptions">The server's subscription APIs.</param>
    /// <param name="typeInfo">Source-generated metadata of <typeparamref name="T"/>.</param>
    /// <param name="handler">Processes each message.</param>
    /// <param name="options">Which subscription and how (copied).</param>
    /// <param name="logger">Where the worker logs (claims, lost leases, failures); none when null.</param>
    /// <param name="deadLetter">
    /// Receives each message given up on under <see cref="HandlerFailurePolicy.Skip"/> before it is acked past; if it
    /// throws, the message is not skipped (the wake is released and the message comes back in a later wake).
    /// </param>
    public PullWakeWorker(SubscriptionClient subscriptions, JsonTypeInfo<T> typeInfo, IStreamHandler<T> handler,
        PullWakeWorkerOptions options, ILogger? logger = null, IDeadLetterHandler<T>? deadLetter = null)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Copy();
        _options.Validate();
        _subscriptions = subscriptions;
        _typeInfo = typeInfo;
        _handler = handler;
        _deadLetter = deadLetter;
        _logger = logger ?? NullLogger.Instance;
        _time = subscriptions.Client.Options.TimeProvider;
    }

    /// <summary>The name this worker claims under.</summary>
    public string WorkerName => _options.WorkerName;

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled: checks the wake stream (HEAD), tails it and
    /// processes each wake it can claim. On cancellation the wake in progress stops, its progress is acked and its lease
    /// released. A failing claim or wake stream read later on is logged and retried; only the start-up checks and
    /// <see cref="HandlerFailurePolicy.Stop"/> end it with an exception.
    /// </summary>
    /// <exception cref="SubscriptionNotFoundException">The subscription does not exist (when the wake stream must be read from it).</exception>
    /// <exception cref="InvalidWakeStreamException">The wake stream does not exist or is not a JSON stream.</exception>
    /// <exception cref="PullWakeWorkerException">The handler failed a message <see cref="PullWakeWorkerOptions.MaxAttempts"/> times under <see cref="HandlerFailurePolicy.Stop"/>.</exception>
    /// <exception cref="DurableStreamException">The subscription or the wake stream could not be looked up at start (after the client's retries).</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var wakeStream = _options.WakeStream
            ?? (await _subscriptions.GetAsync(_options.SubscriptionId, cancellationToken).ConfigureAwait(false)
                ?? throw new SubscriptionNotFoundException($"Subscription '{_options.SubscriptionId}' does not exist.", null, null)).WakeStream
            ?? throw new InvalidOperationException($"Subscription '{_options.SubscriptionId}' has no wake stream: it is not a pull-wake subscription.");
        await CheckWakeStreamAsync(wakeStream, cancellationToken).ConfigureAwait(false);
        var wakes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tail = TailWakesAsync(wakeStream, wakes.Writer, stop.Token);
        wakes.Writer.TryWrite(true); // wakes written before the tail started are claimed at once
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await WaitForWakeAsync(wakes.Reader, cancellationToken).ConfigureAwait(false);
                PullWakeOutcome outcome;
                do
                {
                    try
                    {
                        outcome = await ProcessOnceAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (DurableStreamException ex)
                    {
                        // The claim itself failed (server unreachable after retries, subscription deleted): keep the
                        // worker alive and try again later rather than end the host.
                        PullWakeLog.ClaimFailed(_logger, WorkerName, _options.SubscriptionId, _options.FailureBackoff.TotalMilliseconds, ex);
                        outcome = PullWakeOutcome.Failed;
                        wakes.Writer.TryWrite(true); // the wake it answered is still pending: claim again after the backoff
                    }
                    if (outcome == PullWakeOutcome.Failed)
                        await Task.Delay(_options.FailureBackoff, _time, cancellationToken).ConfigureAwait(false);
                }
                while (outcome == PullWakeOutcome.Completed); // more may be pending: claiming is cheap
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await tail.ConfigureAwait(false);
        }
    }

    /// <summary>Fails fast when the wake stream is missing or not JSON: tailing it would only fail in the background, forever.</summary>
    private async Task CheckWakeStreamAsync(string wakeStream, CancellationToken cancellationToken)
    {
        var url = _subscriptions.StreamUrl(wakeStream);
        StreamMetadata metadata;
        try
        {
            metadata = await _subscriptions.Client.GetStream(url.AbsoluteUri).HeadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DurableStreamException ex) when (ex is StreamNotFoundException or RetentionGoneException)
        {
            PullWakeLog.WakeStreamInvalid(_logger, WorkerName, wakeStream, "missing");
            throw new InvalidWakeStreamException(
                $"Wake stream '{wakeStream}' of subscription '{_options.SubscriptionId}' does not exist: create it (application/json) before starting workers.",
                DurableStreamErrorCode.NotFound, ex.Status, url, wakeStream, null, ex);
        }
        if (ProtocolNames.IsJsonContentType(metadata.ContentType)) return;
        PullWakeLog.WakeStreamInvalid(_logger, WorkerName, wakeStream, metadata.ContentType ?? "no content type");
        throw new InvalidWakeStreamException(
            $"Wake stream '{wakeStream}' of subscription '{_options.SubscriptionId}' is a '{metadata.ContentType}' stream; wake events are JSON: recreate it as application/json.",
            DurableStreamErrorCode.Conflict, null, url, wakeStream, metadata.ContentType);
    }

    private async Task WaitForWakeAsync(ChannelReader<bool> wakes, CancellationToken cancellationToken)
    {
        if (wakes.TryRead(out _)) return;
        if (_options.IdleClaimInterval == Timeout.InfiniteTimeSpan)
        {
            await wakes.ReadAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(_options.IdleClaimInterval);
        try
        {
            await wakes.ReadAsync(idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // No wake for a while: try a claim anyway.
        }
    }

    /// <summary>Follows the wake stream and signals every wake of this subscription; never throws.</summary>
    private async Task TailWakesAsync(string wakeStream, ChannelWriter<bool> wakes, CancellationToken cancellationToken)
    {
        var position = _options.WakeStreamOffset;
        var url = _subscriptions.StreamUrl(wakeStream).AbsoluteUri;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var read = new ReadOptions { Offset = position, Live = _options.WakeLiveMode };
                await using var response = await _subscriptions.Client.StreamAsync(url, read, cancellationToken).ConfigureAwait(false);
                await foreach (var wake in response.ReadEventsAsync(SubscriptionJson.WakeEvent, cancellationToken).ConfigureAwait(false))
                {
                    position = wake.Position;
                    if (wake.Data is { SubscriptionId: var id } && id == _options.SubscriptionId) wakes.TryWrite(true);
                }
                PullWakeLog.WakeStreamEnded(_logger, wakeStream);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is DurableStreamException or InvalidOperationException)
            {
                PullWakeLog.WakeStreamFailed(_logger, wakeStream, _options.FailureBackoff.TotalMilliseconds, ex);
                try
                {
                    await Task.Delay(_options.FailureBackoff, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                wakes.TryWrite(true); // a wake may have been missed meanwhile
            }
        }
    }
}
