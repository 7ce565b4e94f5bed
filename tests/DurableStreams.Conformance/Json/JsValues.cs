using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableStreams.Conformance.Json;

/// <summary>
/// The handful of JavaScript value rules the case format relies on (truthiness, <c>===</c>,
/// string conversion), applied to JSON nodes. A C# <c>null</c> node stands for JSON <c>null</c>;
/// "absent" is decided by the caller (a missing property).
/// </summary>
internal static class JsValues
{
    public static bool IsTruthy(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null or JsonValueKind.False => false,
        JsonValueKind.True => true,
        JsonValueKind.Number => TryGetNumber(value, out var number) && number != 0 && !double.IsNaN(number),
        JsonValueKind.String => value.GetValue<string>().Length > 0,
        _ => true, // objects and arrays
    };

    /// <summary>JavaScript <c>===</c> for JSON values: same kind and same value; containers never match.</summary>
    public static bool StrictEquals(JsonNode? left, JsonNode? right)
    {
        var leftKind = left?.GetValueKind() ?? JsonValueKind.Null;
        var rightKind = right?.GetValueKind() ?? JsonValueKind.Null;
        return (leftKind, rightKind) switch
        {
            (JsonValueKind.Null, JsonValueKind.Null) => true,
            (JsonValueKind.True, JsonValueKind.True) or (JsonValueKind.False, JsonValueKind.False) => true,
            (JsonValueKind.Number, JsonValueKind.Number) =>
                TryGetNumber(left, out var l) && TryGetNumber(right, out var r) && l == r,
            (JsonValueKind.String, JsonValueKind.String) =>
                string.Equals(left!.GetValue<string>(), right!.GetValue<string>(), StringComparison.Ordinal),
            _ => false,
        };
    }

    public static bool TryGetNumber(JsonNode? value, out double number)
    {
        number = 0;
        if (value is not JsonValue scalar || scalar.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        number = TryGetInteger(scalar, out var integer)
            ? integer
            : scalar.TryGetValue(out double real) ? real : double.Parse(scalar.ToJsonString(), CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>
    /// Integer value of a number node, whichever CLR type backs it (YAML gives long, results
    /// parsed from JSON give elements, values built in code may be int).
    /// </summary>
    private static bool TryGetInteger(JsonValue number, out long integer)
    {
        if (number.TryGetValue(out integer))
        {
            return true;
        }

        if (number.TryGetValue(out int small))
        {
            integer = small;
            return true;
        }

        return false;
    }

    public static string? AsString(JsonNode? value) =>
        value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String ? scalar.GetValue<string>() : null;

    /// <summary>
    /// Text of a value as the runner splices it into strings: strings as they are, null/absent as
    /// the empty string, numbers and booleans as JavaScript prints them, objects as
    /// <c>[object Object]</c>, arrays as their elements joined with commas.
    /// </summary>
    public static string ToText(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => string.Empty,
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => FormatNumber((JsonValue)value),
        JsonValueKind.Array => string.Join(',', value.AsArray().Select(ToText)),
        _ => "[object Object]",
    };

    public static string FormatNumber(JsonValue number) =>
        TryGetInteger(number, out var integer)
            ? JsNumber.Format(integer)
            : JsNumber.Format(TryGetNumber(number, out var real) ? real : double.NaN);
}
