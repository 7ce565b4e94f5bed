using System.Globalization;

namespace DurableStreams.State;

/// <summary>
/// How a typed key travels as the message's string <c>key</c>: invariant culture, canonical form (<see cref="Guid"/> as
/// <c>"D"</c>, integers without sign or leading zeros beyond what <c>ToString</c> writes). Parsing accepts only the
/// canonical form, so a typed key and its string stay one-to-one (<c>"07"</c> and <c>"7"</c> never name the same entity).
/// No reflection: each supported type is a branch the JIT and Native AOT resolve per instantiation.
/// </summary>
internal static class StateKeyFormat<TKey> where TKey : notnull
{
    /// <summary>Whether <typeparamref name="TKey"/> is a supported key type.</summary>
    public static readonly bool IsSupported =
        typeof(TKey) == typeof(string) || typeof(TKey) == typeof(Guid) || typeof(TKey) == typeof(int) || typeof(TKey) == typeof(long) ||
        typeof(TKey) == typeof(short) || typeof(TKey) == typeof(byte) || typeof(TKey) == typeof(sbyte) || typeof(TKey) == typeof(ushort) ||
        typeof(TKey) == typeof(uint) || typeof(TKey) == typeof(ulong);

    /// <summary>The key as the message's <c>key</c> (null for a null string key).</summary>
    public static string? Format(TKey key)
    {
        // typeof(TKey) tests are constants per instantiation, and (T)(object)key of a value type is not boxed by the JIT.
        CultureInfo c = CultureInfo.InvariantCulture;
        if (typeof(TKey) == typeof(Guid)) return ((Guid)(object)key).ToString("D");
        if (typeof(TKey) == typeof(int)) return ((int)(object)key).ToString(c);
        if (typeof(TKey) == typeof(long)) return ((long)(object)key).ToString(c);
        if (typeof(TKey) == typeof(short)) return ((short)(object)key).ToString(c);
        if (typeof(TKey) == typeof(byte)) return ((byte)(object)key).ToString(c);
        if (typeof(TKey) == typeof(sbyte)) return ((sbyte)(object)key).ToString(c);
        if (typeof(TKey) == typeof(ushort)) return ((ushort)(object)key).ToString(c);
        if (typeof(TKey) == typeof(uint)) return ((uint)(object)key).ToString(c);
        if (typeof(TKey) == typeof(ulong)) return ((ulong)(object)key).ToString(c);
        if (typeof(TKey) == typeof(string)) return (string?)(object?)key;
        throw new NotSupportedException($"{typeof(TKey).Name} is not a supported state key type.");
    }

    /// <summary>Parses a message's <c>key</c>; false unless it is the canonical text of a <typeparamref name="TKey"/>.</summary>
    public static bool TryParse(string text, out TKey key)
    {
        key = default!;
        object? parsed = null;
        const NumberStyles Signed = NumberStyles.AllowLeadingSign;
        CultureInfo c = CultureInfo.InvariantCulture;
        if (typeof(TKey) == typeof(string))
            parsed = text;
        else if (typeof(TKey) == typeof(Guid) && Guid.TryParseExact(text, "D", out Guid g))
            parsed = g;
        else if (typeof(TKey) == typeof(int) && int.TryParse(text, Signed, c, out int i))
            parsed = i;
        else if (typeof(TKey) == typeof(long) && long.TryParse(text, Signed, c, out long l))
            parsed = l;
        else if (typeof(TKey) == typeof(short) && short.TryParse(text, Signed, c, out short s16))
            parsed = s16;
        else if (typeof(TKey) == typeof(sbyte) && sbyte.TryParse(text, Signed, c, out sbyte sb))
            parsed = sb;
        else if (typeof(TKey) == typeof(byte) && byte.TryParse(text, NumberStyles.None, c, out byte b))
            parsed = b;
        else if (typeof(TKey) == typeof(ushort) && ushort.TryParse(text, NumberStyles.None, c, out ushort us))
            parsed = us;
        else if (typeof(TKey) == typeof(uint) && uint.TryParse(text, NumberStyles.None, c, out uint ui))
            parsed = ui;
        else if (typeof(TKey) == typeof(ulong) && ulong.TryParse(text, NumberStyles.None, c, out ulong ul))
            parsed = ul;
        if (parsed is not TKey typed || !string.Equals(Format(typed), text, StringComparison.Ordinal))
            return false;
        key = typed;
        return true;
    }
}
