namespace DurableStreams;

/// <summary>Prepares values substituted into a <see cref="DurableStreamAttribute"/> URL template.</summary>
public static class StreamTemplateValue
{
    /// <summary>
    /// URL-escapes <paramref name="value"/> so it stays inside its path segment. Empty values and the dot
    /// segments <c>.</c> and <c>..</c> are rejected: they would silently address a different stream.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty, <c>.</c> or <c>..</c>.</exception>
    public static string Escape(string value, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);
        if (value.Length == 0)
            throw new ArgumentException("A stream URL template value cannot be empty.", parameterName);
        if (value is "." or "..")
            throw new ArgumentException($"'{value}' cannot be a stream URL template value: it is a relative path segment.", parameterName);
        return Uri.EscapeDataString(value);
    }
}
