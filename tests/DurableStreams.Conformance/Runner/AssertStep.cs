using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DurableStreams.Conformance.Json;
using DurableStreams.Conformance.Yaml;

namespace DurableStreams.Conformance.Runner;

/// <summary>
/// The <c>assert</c> action: <c>equals</c>, <c>notEquals</c>, <c>contains</c>, <c>matches</c>, checked in
/// that order with ordinal string comparison after substitution. The first failing check fails the
/// step with the step's <c>message</c>, or a description of the check.
/// </summary>
internal static class AssertStep
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(5);

    public static void Evaluate(CaseStep step, Func<string, string> substitute)
    {
        var customMessage = JsValues.AsString(step["message"]);
        string Text(JsonNode? section, string field) => substitute(JsValues.ToText(section?[field]));
        void Fail(string description) => throw new StepFailedException(customMessage ?? description);

        if (step["equals"] is JsonObject equals)
        {
            var (left, right) = (Text(equals, "left"), Text(equals, "right"));
            if (!string.Equals(left, right, StringComparison.Ordinal))
            {
                Fail($"assert.equals: {Quote(left)} is not {Quote(right)}");
            }
        }

        if (step["notEquals"] is JsonObject notEquals)
        {
            var (left, right) = (Text(notEquals, "left"), Text(notEquals, "right"));
            if (string.Equals(left, right, StringComparison.Ordinal))
            {
                Fail($"assert.notEquals: both sides are {Quote(left)}");
            }
        }

        if (step["contains"] is JsonObject contains)
        {
            var (value, substring) = (Text(contains, "value"), Text(contains, "substring"));
            if (!value.Contains(substring, StringComparison.Ordinal))
            {
                Fail($"assert.contains: {Quote(value)} does not contain {Quote(substring)}");
            }
        }

        if (step["matches"] is JsonObject matches)
        {
            var value = Text(matches, "value");
            var pattern = JsValues.ToText(matches["pattern"]); // patterns are not substituted
            Regex regex;
            try
            {
                regex = new Regex(pattern, RegexOptions.None, RegexTimeout);
            }
            catch (ArgumentException ex)
            {
                throw new StepFailedException($"Invalid regex pattern: {pattern} ({ex.Message})");
            }

            if (!regex.IsMatch(value))
            {
                Fail($"assert.matches: {Quote(value)} does not match /{pattern}/");
            }
        }
    }

    private static string Quote(string text) => CompactJson.Stringify(JsonValue.Create(text));
}
