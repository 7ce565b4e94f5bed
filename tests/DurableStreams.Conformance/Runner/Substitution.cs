using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DurableStreams.Conformance.Json;

namespace DurableStreams.Conformance.Runner;

/// <summary>
/// Expands <c>${name}</c>, <c>${name.property.path}</c> and <c>${randomUUID}</c> in the fields the
/// format marks as substitutable. An unknown variable fails the case.
/// </summary>
internal static partial class Substitution
{
    private const string RandomUuidName = "randomUUID";

    public static string Apply(string text, VariableTable variables) =>
        Reference().Replace(text, match => Resolve(match.Groups[1].Value, variables));

    private static string Resolve(string expression, VariableTable variables)
    {
        // Checked before the table, so a variable named randomUUID can never be read.
        if (expression == RandomUuidName)
        {
            return Guid.NewGuid().ToString("D");
        }

        var segments = expression.Split('.');
        if (!variables.TryGet(segments[0], out var value))
        {
            throw new UndefinedVariableException($"Undefined variable: {segments[0]} (in ${{{expression}}})");
        }

        foreach (var property in segments.Skip(1))
        {
            if (value is not JsonObject container)
            {
                // Walking into null/absent (or a non-object) ends with nothing to show.
                return string.Empty;
            }

            value = container[property];
        }

        return JsValues.ToText(value);
    }

    // One or more characters other than '}': "${}" stays as written, there is no nesting.
    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex Reference();
}
