namespace DurableStreams.Producers;

/// <summary>Messages sealed into one request, numbered (epoch, seq) once and resent with the same numbers.</summary>
internal sealed class ProducerBatch
{
    public ProducerBatch(List<ReadOnlyMemory<byte>> items, long bytes)
    {
        Items = items;
        Bytes = bytes;
    }

    public List<ReadOnlyMemory<byte>> Items { get; }
    public long Bytes { get; }
    public long Epoch { get; set; }
    public long Seq { get; set; }

    /// <summary>Completes when the server has stored (or deduplicated) the batch, or it failed for good.</summary>
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
