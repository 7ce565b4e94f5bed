using System.Globalization;

namespace DurableStreams.Conformance.Json;

/// <summary>
/// Formats numbers the way JavaScript's <c>String(number)</c> does. The cases were written
/// against a JavaScript runner, so numbers that end up in text (substituted values, JSON
/// payloads, producer headers) must read the same, e.g. <c>1</c> not <c>1.0</c>, <c>1e+21</c> not <c>1E+21</c>.
/// </summary>
internal static class JsNumber
{
    private const long MaxSafeInteger = 9007199254740991;

    public static string Format(long value) =>
        value is >= -MaxSafeInteger and <= MaxSafeInteger
            ? value.ToString(CultureInfo.InvariantCulture)
            : Format((double)value); // JavaScript would hold it as a (rounded) double.

    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return "0"; // Also for -0, as in JavaScript.
        }

        var (digits, pointPosition) = ShortestDigits(Math.Abs(value));
        var text = Layout(digits, pointPosition);
        return value < 0 ? "-" + text : text;
    }

    // Shortest round-trip digits (no leading/trailing zeros) and where the decimal point goes:
    // value = 0.DIGITS x 10^pointPosition.
    private static (string Digits, int PointPosition) ShortestDigits(double magnitude)
    {
        var roundTrip = magnitude.ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = roundTrip.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt < 0 ? roundTrip : roundTrip[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(roundTrip[(exponentAt + 1)..], CultureInfo.InvariantCulture);

        var pointAt = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = pointAt < 0 ? mantissa : mantissa.Remove(pointAt, 1);
        var pointPosition = (pointAt < 0 ? mantissa.Length : pointAt) + exponent;

        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        return (digits.Trim('0'), pointPosition - leadingZeros);
    }

    // ECMAScript Number::toString layout rules.
    private static string Layout(string digits, int n)
    {
        var k = digits.Length;
        if (k <= n && n <= 21)
        {
            return digits + new string('0', n - k);
        }

        if (0 < n && n <= 21)
        {
            return digits[..n] + "." + digits[n..];
        }

        if (-6 < n && n <= 0)
        {
            return "0." + new string('0', -n) + digits;
        }

        var exponent = n - 1;
        var exponentText = (exponent >= 0 ? "+" : "-") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        return k == 1
            ? digits + "e" + exponentText
            : digits[..1] + "." + digits[1..] + "e" + exponentText;
    }
}
