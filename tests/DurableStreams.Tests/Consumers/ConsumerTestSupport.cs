using DurableStreams.Consumers;
using DurableStreams.Tests.Integration;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Consumers;

internal static class ConsumerTestSupport
{
    /// <summary>A new JSON stream of <see cref="Numbered"/> messages holding 1..<paramref name="count"/>, each append a delivery of its own size.</summary>
    public static async Task<DurableStream<Numbered>> CreateNumberedAsync(DurableStreamClient client, string name, params int[][] appends)
    {
        var stream = new DurableStream<Numbered>(client.GetStream(ReferenceServerFixture.NewPath(name), "application/json"), TestJsonContext.Default.Numbered);
        await stream.CreateAsync();
        foreach (var append in appends)
            await stream.AppendManyAsync(append.Select(n => new Numbered(n)));
        return stream;
    }

    public static int[] Range(int from, int to) => Enumerable.Range(from, to - from + 1).ToArray();

    public static StreamConsumerOptions Options(ICheckpointStore store, LiveMode live = LiveMode.Off, string name = "test") => new()
    {
        Name = name,
        CheckpointStore = store,
        Live = live,
        RetryDelay = TimeSpan.Zero,
        MaxRetryDelay = TimeSpan.Zero,
    };
}

/// <summary>A store that stops saving once the process it stands for is "killed": the saves a kill prevents never land.</summary>
internal sealed class KillableStore(ICheckpointStore inner) : ICheckpointStore
{
    private volatile bool _dead;

    public int Saves { get; private set; }

    /// <summary>What the consumer loaded at its start: where its run must begin.</summary>
    public Offset? Loaded { get; private set; }

    public void Kill() => _dead = true;

    public async ValueTask<Offset?> LoadAsync(string consumer, string stream, CancellationToken cancellationToken = default) =>
        Loaded = await inner.LoadAsync(consumer, stream, cancellationToken);

    public ValueTask SaveAsync(string consumer, string stream, Offset position, CancellationToken cancellationToken = default)
    {
        if (_dead) return ValueTask.CompletedTask;
        Saves++;
        return inner.SaveAsync(consumer, stream, position, cancellationToken);
    }
}
