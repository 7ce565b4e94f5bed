using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DurableStreams.Conformance.Yaml;

/// <summary>
/// Resolves the type of a plain (unquoted) scalar by the YAML 1.2 core schema: null, booleans,
/// integers (decimal, <c>0o</c> octal, <c>0x</c> hex) and floats; everything else is a string.
/// YAML 1.1 extras (<c>yes</c>/<c>on</c>, sexagesimal, dates, leading-zero octal) are deliberately not recognised.
/// </summary>
internal static partial class CoreSchemaScalars
{
    public static JsonNode? Resolve(string plain)
    {
        if (NullPattern().IsMatch(plain))
        {
            return null;
        }

        if (TruePattern().IsMatch(plain))
        {
            return JsonValue.Create(true);
        }

        if (FalsePattern().IsMatch(plain))
        {
            return JsonValue.Create(false);
        }

        if (DecimalIntegerPattern().IsMatch(plain))
        {
            // 64-bit where possible (seq: 9007199254740991); beyond that a double, as JavaScript would hold it.
            return long.TryParse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                ? JsonValue.Create(integer)
                : JsonValue.Create(double.Parse(plain, CultureInfo.InvariantCulture));
        }

        if (OctalIntegerPattern().IsMatch(plain))
        {
            return JsonValue.Create(Convert.ToInt64(plain[2..], 8));
        }

        if (HexIntegerPattern().IsMatch(plain))
        {
            return JsonValue.Create(long.Parse(plain[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        }

        if (FloatPattern().IsMatch(plain))
        {
            return JsonValue.Create(double.Parse(plain, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        if (InfinityPattern().IsMatch(plain))
        {
            return JsonValue.Create(plain.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity);
        }

        if (NotANumberPattern().IsMatch(plain))
        {
            return JsonValue.Create(double.NaN);
        }

        return JsonValue.Create(plain);
    }

    [GeneratedRegex("^(|~|null|Null|NULL)$")]
    private static partial Regex NullPattern();

    [GeneratedRegex("^(true|True|TRUE)$")]
    private static partial Regex TruePattern();

    [GeneratedRegex("^(false|False|FALSE)$")]
    private static partial Regex FalsePattern();

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex DecimalIntegerPattern();

    [GeneratedRegex("^0o[0-7]+$")]
    private static partial Regex OctalIntegerPattern();

    [GeneratedRegex("^0x[0-9a-fA-F]+$")]
    private static partial Regex HexIntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^[-+]?\.(inf|Inf|INF)$")]
    private static partial Regex InfinityPattern();

    [GeneratedRegex(@"^\.(nan|NaN|NAN)$")]
    private static partial Regex NotANumberPattern();
}
