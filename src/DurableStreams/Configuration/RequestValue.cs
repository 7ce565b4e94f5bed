namespace DurableStreams;

/// <summary>
/// A header or query-parameter value: fixed, or computed again for every HTTP request
/// (each poll, reconnect and retry), e.g. a short-lived bearer token.
/// </summary>
public readonly struct RequestValue
{
    private readonly string? _value;
    private readonly Func<CancellationToken, ValueTask<string?>>? _provider;

    private RequestValue(string? value, Func<CancellationToken, ValueTask<string?>>? provider)
    {
        _value = value;
        _provider = provider;
    }

    /// <summary>A fixed value.</summary>
    public static RequestValue Of(string value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    /// <summary>A value computed per request; <see langword="null"/> omits the header or parameter.</summary>
    public static RequestValue From(Func<string?> provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new(null, _ => ValueTask.FromResult(provider()));
    }

    /// <summary>A value computed asynchronously per request; <see langword="null"/> omits it.</summary>
    public static RequestValue From(Func<CancellationToken, ValueTask<string?>> provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new(null, provider);
    }

    /// <summary>Wraps a fixed value.</summary>
    public static implicit operator RequestValue(string value) => Of(value);

    /// <summary>Whether the value is computed per request.</summary>
    public bool IsDynamic => _provider is not null;

    /// <summary>Evaluates the value for one request.</summary>
    public ValueTask<string?> ResolveAsync(CancellationToken cancellationToken) =>
        _provider is null ? ValueTask.FromResult(_value) : _provider(cancellationToken);
}
