namespace DurableStreams;

/// <summary>Options of one read session.</summary>
public sealed class ReadOptions
{
    /// <summary>Where to start. Default <see cref="Offset.Beginning"/>.</summary>
    public Offset Offset { get; set; } = Offset.Beginning;

    /// <summary>What to do after catching up. Default <see cref="LiveMode.Off"/>.</summary>
    public LiveMode Live { get; set; } = LiveMode.Off;

    /// <summary>Headers for every request of this read, over the client's headers.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; set; }

    /// <summary>Query parameters for every request of this read (<c>offset</c>, <c>live</c> and <c>cursor</c> are the client's).</summary>
    public IReadOnlyDictionary<string, string>? QueryParameters { get; set; }

    /// <summary>
    /// Open with a plain catch-up GET in every mode (default). Turning it off with <see cref="Offset.Now"/>
    /// and a live mode subscribes with a single live request.
    /// </summary>
    public bool InitialCatchUp { get; set; } = true;
}
