namespace DurableStreams;

/// <summary>
/// A position in a stream: an opaque token returned by the server, or one of the sentinels
/// <see cref="Beginning"/> (<c>-1</c>) and <see cref="Now"/> (the tail at the time of the read).
/// Every offset the client reports (results, reads, errors) is of this type and can be passed
/// straight back to <see cref="ReadOptions.Offset"/>. Tokens are never parsed, only compared.
/// </summary>
/// <remarks>
/// The default value is <see cref="Beginning"/>: <c>-1</c> is stored as the default, so
/// <c>new Offset("-1") == default</c>, and equality, hashing and <see cref="ToString"/> agree.
/// </remarks>
public readonly record struct Offset
{
    private const string BeginningToken = "-1";

    // Null is the beginning ("-1"): the default value and every "-1" are one and the same value.
    private readonly string? _value;

    /// <summary>Wraps a token exactly as the server returned it (<c>-1</c> is <see cref="Beginning"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null or empty.</exception>
    public Offset(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value == BeginningToken ? null : value;
    }

    /// <summary>The start of the stream (<c>-1</c>). Also the default value.</summary>
    public static Offset Beginning => default;

    /// <summary>The current tail: skip what exists and read only what comes next.</summary>
    public static Offset Now => new("now");

    /// <summary>The token as sent on the wire.</summary>
    public string Value => _value ?? BeginningToken;

    /// <summary>Whether this is <c>-1</c> or <c>now</c> rather than a server-issued token (sentinels are not checkpoints).</summary>
    public bool IsSentinel => _value is null or "now";

    /// <summary>Parses a stored token; <see langword="null"/>, empty or <c>-1</c> means <see cref="Beginning"/>.</summary>
    public static Offset Parse(string? value) => string.IsNullOrEmpty(value) ? Beginning : new Offset(value);

    /// <summary>Wraps a token, as <see cref="Parse"/> does.</summary>
    /// <remarks>
    /// The parameter is not nullable, so the compiler flags a possibly-null string: converted to
    /// <see cref="Nullable{T}"/> it would become <see cref="Beginning"/>, not absent.
    /// </remarks>
    public static implicit operator Offset(string value) => Parse(value);

    /// <inheritdoc/>
    public override string ToString() => Value;
}
