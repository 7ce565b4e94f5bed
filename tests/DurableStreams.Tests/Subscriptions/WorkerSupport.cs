using System.Collections.Concurrent;
using DurableStreams.Consumers;
using DurableStreams.Subscriptions;
using DurableStreams.Tests.Integration;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Subscriptions;

/// <summary>One handled message: who handled it, where it came from.</summary>
internal sealed record Handled(string Worker, string Stream, int N, Offset Position, int Attempt);

/// <summary>
/// Records every message handed to any worker, how many handlers ran at once (a held lease allows one), and completes
/// <see cref="AllSeen"/> once every expected (stream, n) pair was handled at least once.
/// </summary>
internal sealed class Recorder(int expected)
{
    private readonly ConcurrentQueue<Handled> _handled = new();
    private readonly ConcurrentDictionary<(string, int), byte> _distinct = new();
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _maxInFlight;

    public Task AllSeen => _all.Task;
    public IReadOnlyList<Handled> Handled => [.. _handled];
    public int MaxConcurrentHandlers => Volatile.Read(ref _maxInFlight);

    public IDisposable Enter()
    {
        var now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max) { }
        return new Exit(this);
    }

    public void Record(string worker, StreamMessage<Numbered> message)
    {
        _handled.Enqueue(new Handled(worker, message.Stream, message.Data.N, message.Position, message.Attempt));
        _distinct.TryAdd((message.Stream, message.Data.N), 0);
        if (_distinct.Count >= expected) _all.TrySetResult();
    }

    private sealed class Exit(Recorder recorder) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref recorder._inFlight);
    }
}

/// <summary>A handler that records and can be told to misbehave on a given message.</summary>
internal sealed class RecordingHandler(string worker, Recorder recorder, Func<StreamMessage<Numbered>, CancellationToken, Task>? before = null)
    : IStreamHandler<Numbered>
{
    public async ValueTask HandleAsync(StreamMessage<Numbered> message, CancellationToken cancellationToken)
    {
        using (recorder.Enter())
        {
            if (before is not null) await before(message, cancellationToken);
            recorder.Record(worker, message);
        }
    }
}

/// <summary>An HTTP pipeline that can be cut, as if the worker's process died: every later request fails to connect.</summary>
internal sealed class KillSwitchHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private volatile bool _killed;

    public void Kill() => _killed = true;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _killed
            ? Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "killed"))
            : base.SendAsync(request, cancellationToken);
}

internal sealed record SubscriptionSetup(string Id, string Prefix, string WakeStream)
{
    public string Events(string name) => $"{Prefix}/events/{name}";

    public static async Task<SubscriptionSetup> CreateAsync(DurableStreamClient client, int leaseTtlMs, string[]? explicitStreams = null)
    {
        var prefix = ReferenceServerFixture.NewPath("worker");
        var wake = $"{prefix}/wake";
        await client.CreateStreamAsync(wake, new CreateStreamOptions { ContentType = "application/json" });
        var id = ReferenceServerFixture.NewPath("sub");
        var definition = SubscriptionDefinition.PullWake(wake, pattern: $"{prefix}/events/*",
            streams: explicitStreams?.Select(s => $"{prefix}/{s}").ToArray()) with { LeaseTtlMs = leaseTtlMs };
        await new SubscriptionClient(client).CreateAsync(id, definition);
        return new SubscriptionSetup(id, prefix, wake);
    }

    public PullWakeWorkerOptions Options(string worker) => new()
    {
        SubscriptionId = Id,
        WorkerName = worker,
        FailureBackoff = TimeSpan.FromMilliseconds(50),
        RetryDelay = TimeSpan.FromMilliseconds(10),
    };
}
