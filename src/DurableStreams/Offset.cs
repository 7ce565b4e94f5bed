using System.Globalization;

namespace DurableStreams;

/// <summary>
/// A position in a stream: an opaque token returned by the server, or one of the sentinels
/// <see cref="Beginning"/> (<c>-1</c>) and <see cref="Now"/> (the tail at the time of the read),
/// optionally refined by a <see cref="Skip"/>: a number of JSON messages to pass over after the token.
/// Every offset the client reports (results, reads, errors) is of this type and can be passed
/// straight back to <see cref="ReadOptions.Offset"/>. Tokens are never parsed, only compared.
/// </summary>
/// <remarks>
/// <para>
/// The default value is <see cref="Beginning"/>: <c>-1</c> is stored as the default, so
/// <c>new Offset("-1") == default</c>, and equality, hashing and <see cref="ToString"/> agree.
/// </para>
/// <para>
/// A skip makes a position exact inside a delivery (see <see cref="StreamEvent{T}.Position"/>): the
/// token is where the delivery started and the skip is how many of its messages were already handled.
/// Its text form is <c>token,skip</c> (<see cref="ToString"/> and <see cref="Parse"/>); the protocol
/// forbids <c>,</c> in tokens (PROTOCOL.md section 8), so the form cannot be mistaken for a real token.
/// Only reads of JSON streams accept a skip; it never reaches the server.
/// </para>
/// </remarks>
public readonly record struct Offset
{
    private const string BeginningToken = "-1";
    private const string NowToken = "now";
    private const char SkipSeparator = ',';

    // Null is the beginning ("-1"): the default value and every "-1" are one and the same value.
    private readonly string? _value;
    private readonly long _skip;

    /// <summary>Wraps a token exactly as the server returned it (<c>-1</c> is <see cref="Beginning"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null or empty.</exception>
    public Offset(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value == BeginningToken ? null : value;
    }

    /// <summary>
    /// The position <paramref name="skip"/> JSON messages past <paramref name="token"/>: reading from it
    /// requests <paramref name="token"/> and drops that many messages before delivering any.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="token"/> is null or empty, or, with a skip, is <c>now</c> (not a fixed position) or holds a <c>,</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="skip"/> is negative.</exception>
    public Offset(string token, long skip) : this(token)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        if (skip > 0)
        {
            if (token == NowToken)
                throw new ArgumentException("'now' is the tail at the time of a read, not a fixed position: it cannot take a skip.", nameof(token));
            if (token.Contains(SkipSeparator, StringComparison.Ordinal))
                throw new ArgumentException($"An offset token never contains '{SkipSeparator}' (it separates the skip in the text form).", nameof(token));
        }
        _skip = skip;
    }

    /// <summary>The start of the stream (<c>-1</c>). Also the default value.</summary>
    public static Offset Beginning => default;

    /// <summary>The current tail: skip what exists and read only what comes next.</summary>
    public static Offset Now => new(NowToken);

    /// <summary>The token as sent on the wire (without the <see cref="Skip"/>).</summary>
    public string Value => _value ?? BeginningToken;

    /// <summary>
    /// How many JSON messages to pass over after <see cref="Value"/> before the position this offset names;
    /// 0 (the default) for every offset the server issues.
    /// </summary>
    public long Skip => _skip;

    /// <summary>
    /// Whether this is <c>-1</c> or <c>now</c> rather than a server-issued token (sentinels are not checkpoints);
    /// <c>-1</c> with a skip is a checkpoint, so not a sentinel.
    /// </summary>
    public bool IsSentinel => _skip == 0 && _value is null or NowToken;

    /// <summary>
    /// Parses a stored offset: a token, or <c>token,skip</c> as <see cref="ToString"/> writes it;
    /// <see langword="null"/>, empty or <c>-1</c> means <see cref="Beginning"/>.
    /// </summary>
    /// <exception cref="FormatException">The part after <c>,</c> is not a non-negative whole number, or the token before it is empty.</exception>
    /// <exception cref="ArgumentException">The text is <c>now,skip</c> with a skip above 0.</exception>
    public static Offset Parse(string? value)
    {
        if (string.IsNullOrEmpty(value)) return Beginning;
        var comma = value.LastIndexOf(SkipSeparator);
        if (comma < 0) return new Offset(value);
        var digits = value.AsSpan(comma + 1);
        if (comma == 0 || digits.IsEmpty || !IsDigits(digits) ||
            !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var skip))
            throw new FormatException($"'{value}' is neither an offset token nor 'token,skip' with a non-negative whole skip.");
        return new Offset(value[..comma], skip);
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (c is < '0' or > '9') return false;
        return true;
    }

    /// <summary>Wraps a token, as <see cref="Parse"/> does.</summary>
    /// <remarks>
    /// The parameter is not nullable, so the compiler flags a possibly-null string: converted to
    /// <see cref="Nullable{T}"/> it would become <see cref="Beginning"/>, not absent.
    /// </remarks>
    public static implicit operator Offset(string value) => Parse(value);

    /// <summary>The text to store: the token, or <c>token,skip</c> when <see cref="Skip"/> is above 0. <see cref="Parse"/> reads it back.</summary>
    public override string ToString() =>
        _skip == 0 ? Value : string.Concat(Value, ",", _skip.ToString(CultureInfo.InvariantCulture));
}
