namespace DurableStreams;

/// <summary>How a read continues once it has caught up with the stream.</summary>
public enum LiveMode
{
    /// <summary>Catch-up only: read until up to date (or closed), then end.</summary>
    Off,
    /// <summary>Catch up, then follow new data with long-polls.</summary>
    Auto,
    /// <summary>Catch up, then follow new data with long-polls (the explicit form of <see cref="Auto"/>).</summary>
    LongPoll,
    /// <summary>Catch up, then follow new data over Server-Sent Events, reconnecting as needed.</summary>
    Sse,
}
