namespace DurableStreams.Server.Storage;

/// <summary>
/// Stream state behind the HTTP endpoints. Every method applies the protocol's rules and reports client
/// mistakes as statuses (never exceptions), so handlers only translate outcomes into HTTP.
/// </summary>
internal interface IStreamStore : IDisposable
{
    CreateOutcome Create(string path, CreateRequest request);

    AppendOutcome Append(string path, AppendRequest request);

    /// <summary>Metadata without touching the TTL countdown (HEAD does not reset it, §5.1).</summary>
    ReadOutcome Head(string path);

    /// <summary>
    /// Messages after <paramref name="offset"/> (null or "-1" = from the start), whole messages up to about
    /// <paramref name="maxBytes"/> (at least one); resets the TTL countdown.
    /// </summary>
    ReadOutcome Read(string path, string? offset, long maxBytes = long.MaxValue);

    DeleteStatus Delete(string path);

    /// <summary>Streams that answer requests (not deleted; expired ones count until a request notices).</summary>
    int StreamCount { get; }

    /// <summary>
    /// Called under the store's lock after a stream is created or gains data, with the tail before that data;
    /// it must only queue (the subscription engine takes it from there, off the lock).
    /// </summary>
    Action<StreamDataAdded>? DataAdded { get; set; }

    /// <summary>The streams that answer requests, for subscription backfill.</summary>
    IReadOnlyList<StreamSnapshot> ListStreams();

    /// <summary>
    /// Completes with true when the stream has data past <paramref name="offset"/> or is closed or gone (at
    /// once when it already is), and with false when the timeout passes or the token is cancelled (never throws
    /// for those two). A caller that waits in a loop stops on false: that wait changed nothing to report.
    /// </summary>
    Task<bool> WaitForChangeAsync(string path, string offset, TimeSpan timeout, CancellationToken cancellationToken);
}
