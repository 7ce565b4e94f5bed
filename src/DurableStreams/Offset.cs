namespace DurableStreams;

/// <summary>
/// A position in a stream: an opaque token returned by the server, or one of the sentinels
/// <see cref="Beginning"/> (<c>-1</c>) and <see cref="Now"/> (the tail at the time of the read).
/// </summary>
public readonly record struct Offset
{
    private readonly string? _value;

    /// <summary>Wraps a token exactly as the server returned it.</summary>
    public Offset(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    /// <summary>The start of the stream (<c>-1</c>). Also the default value.</summary>
    public static Offset Beginning => new("-1");

    /// <summary>The current tail: skip what exists and read only what comes next.</summary>
    public static Offset Now => new("now");

    /// <summary>The token as sent on the wire.</summary>
    public string Value => _value ?? "-1";

    /// <summary>Whether this is <c>-1</c> or <c>now</c> rather than a server-issued token (sentinels are not checkpoints).</summary>
    public bool IsSentinel => Value is "-1" or "now";

    /// <summary>Parses a stored token; <see langword="null"/> or empty means <see cref="Beginning"/>.</summary>
    public static Offset Parse(string? value) => string.IsNullOrEmpty(value) ? Beginning : new Offset(value);

    /// <summary>Wraps a token.</summary>
    public static implicit operator Offset(string value) => Parse(value);

    /// <inheritdoc/>
    public override string ToString() => Value;
}
