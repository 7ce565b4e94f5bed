namespace DurableStreams;

/// <summary>Options of a create (PUT) request.</summary>
public sealed class CreateStreamOptions
{
    /// <summary>The stream's content type. Default: the handle's <see cref="DurableStream.ContentType"/> when it was given one, else <c>application/octet-stream</c>; a fork inherits its source's when unset.</summary>
    public string? ContentType { get; set; }

    /// <summary>Sliding time-to-live (whole seconds). Exclusive with <see cref="ExpiresAt"/>.</summary>
    public TimeSpan? Ttl { get; set; }

    /// <summary>Absolute expiry. Exclusive with <see cref="Ttl"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Create the stream already closed (its initial data, if any, is all it will hold).</summary>
    public bool Closed { get; set; }

    /// <summary>Initial content, stored as-is (for JSON streams: a JSON value or array).</summary>
    public ReadOnlyMemory<byte>? InitialData { get; set; }

    /// <summary>Create a fork of another stream rather than an empty stream.</summary>
    public StreamFork? ForkFrom { get; set; }

    /// <summary>Extra request headers.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; set; }
}

/// <summary>Where a fork diverges from its source stream.</summary>
/// <param name="SourcePath">Path of the source stream on the same server (e.g. <c>/v1/stream/orders</c>).</param>
/// <param name="Offset">Divergence point (any offset the client reported for the source); the source's tail when null.</param>
/// <param name="SubOffset">Messages (JSON) or bytes past <paramref name="Offset"/> to inherit as well.</param>
public sealed record StreamFork(string SourcePath, Offset? Offset = null, long? SubOffset = null);

/// <summary>Outcome of a create request.</summary>
/// <param name="Created"><see langword="true"/> for 201 (new), <see langword="false"/> for 200 (already existed, same configuration).</param>
/// <param name="Offset">The tail offset after creation, or null if the server did not report one.</param>
/// <param name="ContentType">The stream's content type.</param>
/// <param name="Closed">Whether the stream is closed.</param>
public sealed record CreateStreamResult(bool Created, Offset? Offset, string? ContentType, bool Closed);

/// <summary>A stream's metadata, from HEAD.</summary>
public sealed record StreamMetadata
{
    /// <summary>The tail offset, or null if the server did not report one.</summary>
    public Offset? Offset { get; init; }
    /// <summary>The content type exactly as the server sent it.</summary>
    public string? ContentType { get; init; }
    /// <summary>The entity tag.</summary>
    public string? ETag { get; init; }
    /// <summary>The Cache-Control header.</summary>
    public string? CacheControl { get; init; }
    /// <summary>Sliding time-to-live, when set.</summary>
    public TimeSpan? Ttl { get; init; }
    /// <summary>Absolute expiry, when set.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>Whether the stream is closed.</summary>
    public bool Closed { get; init; }
}

/// <summary>Per-append options. An append with options is sent in a POST of its own.</summary>
public sealed class AppendOptions
{
    /// <summary>Writer sequence (<c>Stream-Seq</c>), compared byte-wise by the server: zero-pad numbers.</summary>
    public string? Seq { get; set; }

    /// <summary>Extra request headers.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; set; }

    /// <summary>Extra query parameters.</summary>
    public IReadOnlyDictionary<string, string>? QueryParameters { get; set; }
}

/// <summary>Outcome of an append.</summary>
/// <param name="Offset">The tail after the POST that carried this append (which may include other callers' appends batched with it), or null if the server did not report one.</param>
public sealed record AppendResult(Offset? Offset);

/// <summary>Outcome of a close.</summary>
/// <param name="FinalOffset">The stream's final offset, or null if the server did not report one.</param>
public sealed record CloseResult(Offset? FinalOffset);
