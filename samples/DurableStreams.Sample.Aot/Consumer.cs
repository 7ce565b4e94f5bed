using DurableStreams.Consumers;

namespace DurableStreams.Sample.Aot;

/// <summary>A checkpointed consumer of the orders stream, with its checkpoints in a stream on the same server.</summary>
internal static class ConsumerSample
{
    /// <summary>
    /// Runs a consumer over the (closed) orders stream, then a second one with the same name: the first must handle
    /// exactly what was written, the second resume from the saved checkpoint and find nothing left.
    /// </summary>
    public static async Task<bool> RunAsync(DurableStreamClient client, OrderPlacedStream orders, IReadOnlyList<OrderPlaced> written, string run)
    {
        var options = new StreamConsumerOptions
        {
            Name = "aot-sample",
            CheckpointStore = new StreamCheckpointStore(client, $"samples/aot/{run}/checkpoints"),
            Live = LiveMode.Sse, // follows the stream until it is closed: these runs end at its end
            CheckpointEveryMessages = 2,
        };
        var handled = new List<OrderPlaced>();
        var first = new StreamConsumer<OrderPlaced>(orders, (message, _) =>
        {
            handled.Add(message.Data);
            return ValueTask.CompletedTask;
        }, options);
        await first.RunAsync();

        var again = 0;
        await new StreamConsumer<OrderPlaced>(orders, (_, _) =>
        {
            again++;
            return ValueTask.CompletedTask;
        }, options).RunAsync();
        Console.WriteLine($"consumed {handled.Count} orders; checkpoint {first.Checkpoint}; resumed run handled {again}");
        return handled.SequenceEqual(written) && again == 0 && first.Checkpoint is not null;
    }
}
