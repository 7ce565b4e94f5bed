namespace DurableStreams.Writing;

/// <summary>An append waiting in the queue: its own copy of the data and its caller's completion.</summary>
internal sealed class PendingAppend
{
    public PendingAppend(ReadOnlyMemory<byte> data, AppendOptions? options, bool close)
    {
        Data = data;
        Options = options;
        Close = close;
    }

    public ReadOnlyMemory<byte> Data { get; }
    public AppendOptions? Options { get; }

    /// <summary>A close request (with optional final data); never merged with others.</summary>
    public bool Close { get; }

    /// <summary>Set once the item is part of a request on the wire; cancelling no longer removes it.</summary>
    public bool Sent { get; set; }

    /// <summary>Cancelled while still queued: skipped when the queue reaches it.</summary>
    public bool Cancelled { get; set; }

    public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenRegistration Registration { get; set; }

    /// <summary>Plain appends without their own headers or sequence can share a POST (W2: one Stream-Seq per POST).</summary>
    public bool Mergeable => Options is null && !Close && !Data.IsEmpty;
}
