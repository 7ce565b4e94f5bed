namespace DurableStreams.Writing;

/// <summary>An append waiting in the queue: its own copy of the data and its caller's completion.</summary>
internal sealed class PendingAppend
{
    public PendingAppend(ReadOnlyMemory<byte> data, AppendOptions? options, bool close, int messages = 1)
    {
        Data = data;
        Options = options;
        Close = close;
        Messages = messages;
    }

    public ReadOnlyMemory<byte> Data { get; }
    public AppendOptions? Options { get; }

    /// <summary>A close request (with optional final data); never merged with others.</summary>
    public bool Close { get; }

    /// <summary>Set once the item is part of a request on the wire; cancelling no longer removes it.</summary>
    public bool Sent { get; set; }

    /// <summary>Cancelled while still queued: skipped when the queue reaches it.</summary>
    public bool Cancelled { get; set; }

    /// <summary>How many messages the data holds (several for one AppendJsonManyAsync call).</summary>
    public int Messages { get; }

    private TaskCompletionSource<AppendResult>? _completion;

    /// <summary>
    /// The caller's completion for a queued append (a lone append sent at once needs none); created before
    /// the item is shared with the sender. While traced, its state is the append's own span (see Telemetry/AppendTelemetry).
    /// </summary>
    public TaskCompletionSource<AppendResult> Completion => _completion ??= new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Replaces the (not yet shared) completion by one that carries <paramref name="span"/>: no field for it on untraced appends.</summary>
    public void Trace(System.Diagnostics.Activity span) =>
        _completion = new(span, TaskCreationOptions.RunContinuationsAsynchronously);

    public System.Diagnostics.Activity? Span => _completion?.Task.AsyncState as System.Diagnostics.Activity;

    public CancellationTokenRegistration Registration { get; set; }

    /// <summary>Plain appends without their own headers or sequence can share a POST (W2: one Stream-Seq per POST).</summary>
    public bool Mergeable => Options is null && !Close && !Data.IsEmpty;
}
