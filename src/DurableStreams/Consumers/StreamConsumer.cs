using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableStreams.Consumers;

/// <summary>
/// Reads one stream from its checkpoint, hands each message to an <see cref="IStreamHandler{T}"/> in stream order,
/// and checkpoints after the handler returns, at the exact position after the message
/// (<see cref="StreamMessage{T}.Position"/>): delivery is at least once, with no gaps and no reordering, and a
/// restart repeats at most the messages finished since the last checkpoint.
/// </summary>
/// <typeparam name="T">The message type (for a <c>[DurableStream]</c> record, use its generated stream class).</typeparam>
/// <remarks>
/// Logs through the client's <see cref="DurableStreamClientOptions.LoggerFactory"/> (category
/// <c>DurableStreams.Consumers.StreamConsumer</c>, events 201-210). A consumer runs once at a time.
/// </remarks>
public sealed partial class StreamConsumer<T>
{
    private readonly DurableStream<T> _stream;
    private readonly IStreamHandler<T> _handler;
    private readonly IDeadLetterHandler<T>? _deadLetter;
    private readonly StreamConsumerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _running;

    /// <summary>A consumer of <paramref name="stream"/> that hands messages to <paramref name="handler"/>.</summary>
    /// <param name="stream">The stream (a generated stream class, or <see cref="DurableStream{T}"/>).</param>
    /// <param name="handler">Processes each message.</param>
    /// <param name="options">Name, checkpoint store, start, live mode, frequency and failure policy; copied, then validated.</param>
    /// <param name="deadLetter">Records messages skipped under <see cref="HandlerFailurePolicy.Skip"/> (optional).</param>
    public StreamConsumer(DurableStream<T> stream, IStreamHandler<T> handler, StreamConsumerOptions options, IDeadLetterHandler<T>? deadLetter = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        _options.Validate();
        _stream = stream;
        _handler = handler;
        _deadLetter = deadLetter;
        var client = stream.Stream.Client;
        _time = client.Options.TimeProvider;
        _logger = client.Options.LoggerFactory?.CreateLogger(ConsumerLog.Category) ?? NullLogger.Instance;
        StreamName = _options.StreamName ?? NameOf(stream.Url, client.BaseAddress);
    }

    /// <summary>A consumer of <paramref name="stream"/> that hands messages to <paramref name="handler"/>.</summary>
    public StreamConsumer(DurableStream<T> stream, Func<StreamMessage<T>, CancellationToken, ValueTask> handler, StreamConsumerOptions options,
        IDeadLetterHandler<T>? deadLetter = null)
        : this(stream, new DelegateHandler(handler ?? throw new ArgumentNullException(nameof(handler))), options, deadLetter)
    {
    }

    /// <summary>The consumer's name (<see cref="StreamConsumerOptions.Name"/>).</summary>
    public string Name => _options.Name;

    /// <summary>The stream's name in checkpoints and messages.</summary>
    public string StreamName { get; }

    /// <summary>The checkpoint saved last (loaded at start or saved since); null before the first.</summary>
    public Offset? Checkpoint { get; private set; }

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled (graceful stop: reading stops, the message in
    /// flight may finish within <see cref="StreamConsumerOptions.ShutdownGracePeriod"/>, what finished is checkpointed,
    /// and the task completes), until the stream is closed and read to its end, or, with <see cref="LiveMode.Off"/>,
    /// until it has caught up.
    /// </summary>
    /// <exception cref="StreamConsumerException">A message failed under <see cref="HandlerFailurePolicy.Stop"/>, or could not be dead-lettered.</exception>
    /// <exception cref="DurableStreamException">Reading the stream failed (after the client's retries); what finished is checkpointed first.</exception>
    /// <exception cref="InvalidOperationException">The consumer is already running.</exception>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1) throw new InvalidOperationException($"Consumer {Name} is already running.");
        try
        {
            await RunOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task RunOnceAsync(CancellationToken stop)
    {
        Offset? loaded;
        try
        {
            loaded = await _options.CheckpointStore!.LoadAsync(Name, StreamName, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }
        Checkpoint = loaded;
        var tracker = new CheckpointTracker(_options, StreamName, _time, _logger, loaded);
        var from = loaded ?? _options.StartFrom;
        ConsumerLog.Started(_logger, Name, StreamName, from.ToString(), loaded is null ? "start" : "checkpoint", _options.Live);

        // The handler's token: cancelled a grace period after the stop, so the message in flight can finish.
        using var handlerCancel = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        var grace = _options.ShutdownGracePeriod;
        using var onStop = stop.Register(() =>
        {
            if (grace == TimeSpan.Zero) handlerCancel.Cancel();
            else handlerCancel.CancelAfter(grace);
        });

        var reason = _options.Live == LiveMode.Off ? "caught up" : "stream closed";
        try
        {
            var read = new ReadOptions { Offset = from, Live = _options.Live };
            await foreach (var batch in _stream.ReadBatchesAsync(read, stop).ConfigureAwait(false))
            {
                if (batch.Items.Count == 0) tracker.Adopt(batch.Offset);
                for (var i = 0; i < batch.Items.Count; i++)
                {
                    if (stop.IsCancellationRequested) break;
                    var message = new StreamMessage<T>(batch.Items[i], StreamName, batch.PositionAfter(i), 1);
                    if (!await HandleAsync(message, tracker, handlerCancel.Token, stop).ConfigureAwait(false)) break;
                    tracker.Finish(message.Position);
                    if (tracker.Due) await SaveAsync(tracker, stop).ConfigureAwait(false);
                }
                if (stop.IsCancellationRequested) break;
                // At the tail nothing more is coming soon: checkpoint what finished, whatever the frequency.
                if (batch.UpToDate) await SaveAsync(tracker, stop).ConfigureAwait(false);
            }
            if (stop.IsCancellationRequested) reason = "stopped";
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            reason = "stopped";
        }
        catch (StreamConsumerException)
        {
            throw; // checkpointed and logged where it was thrown
        }
        catch (Exception ex)
        {
            await SaveAsync(tracker, CancellationToken.None).ConfigureAwait(false);
            ConsumerLog.ReadFailed(_logger, Name, StreamName, Describe(tracker.Saved), ex);
            throw;
        }

        await SaveAsync(tracker, CancellationToken.None).ConfigureAwait(false);
        ConsumerLog.Stopped(_logger, Name, StreamName, reason, tracker.Finished, Describe(tracker.Saved));
    }

    private async ValueTask SaveAsync(CheckpointTracker tracker, CancellationToken cancellationToken)
    {
        await tracker.SaveAsync(cancellationToken).ConfigureAwait(false);
        Checkpoint = tracker.Saved;
    }

    private static string Describe(Offset? checkpoint) => checkpoint?.ToString() ?? "(none: the configured start)";

    private static string NameOf(Uri url, Uri? baseAddress)
    {
        var path = url.GetLeftPart(UriPartial.Path);
        if (baseAddress is not null)
        {
            var root = baseAddress.GetLeftPart(UriPartial.Path);
            if (path.Length > root.Length && path.StartsWith(root, StringComparison.Ordinal))
                return Uri.UnescapeDataString(path[root.Length..].TrimStart('/'));
        }
        return Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/'));
    }

    private sealed class DelegateHandler(Func<StreamMessage<T>, CancellationToken, ValueTask> handle) : IStreamHandler<T>
    {
        public ValueTask HandleAsync(StreamMessage<T> message, CancellationToken cancellationToken) => handle(message, cancellationToken);
    }
}
