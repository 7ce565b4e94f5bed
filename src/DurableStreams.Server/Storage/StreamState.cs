namespace DurableStreams.Server.Storage;

/// <summary>The mutable state of one stream; only touched under the owning store's lock.</summary>
internal sealed class StreamState
{
    public required string Path { get; init; }
    public required string ContentType { get; init; }
    public required long Generation { get; init; }
    public long? TtlSeconds { get; init; }
    public string? ExpiresAt { get; init; }
    public DateTimeOffset? ExpiresAtValue { get; init; }
    public string? ForkedFrom { get; init; }
    public string? ForkOffset { get; init; }
    public long ForkSubOffset { get; init; }

    public required string Tail { get; set; }
    public List<StoredMessage> Messages { get; } = [];
    public bool Closed { get; set; }
    public ProducerClaim? ClosedBy { get; set; }
    public string? LastSeq { get; set; }
    public Dictionary<string, ProducerState> Producers { get; } = new(StringComparer.Ordinal);
    public DateTimeOffset LastAccess { get; set; }
    public int ForkCount { get; set; }
    public bool SoftDeleted { get; set; }

    /// <summary>Completed and replaced on every change, waking long-polls and SSE loops on this stream only.</summary>
    public TaskCompletionSource Changed { get; private set; } = NewSignal();

    public void Signal()
    {
        var previous = Changed;
        Changed = NewSignal();
        previous.TrySetResult();
    }

    public StreamSnapshot Snapshot() => new(Path, ContentType, Tail, Closed, TtlSeconds, ExpiresAt, Generation);

    /// <summary>Index of the first own message past <paramref name="offset"/> (messages are in offset order).</summary>
    public int FirstIndexAfter(string offset)
    {
        int low = 0, high = Messages.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (string.CompareOrdinal(Messages[mid].Offset, offset) > 0) high = mid;
            else low = mid + 1;
        }
        return low;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>An idempotent producer's last accepted epoch and sequence on a stream.</summary>
internal sealed record ProducerState(long Epoch, long LastSeq);
