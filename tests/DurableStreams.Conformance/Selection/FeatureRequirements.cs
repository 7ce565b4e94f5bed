using System.Text.Json.Nodes;
using DurableStreams.Conformance.Json;

namespace DurableStreams.Conformance.Selection;

/// <summary>
/// Decides whether the adapter meets a case's <c>requires</c> list, using the <c>features</c>
/// object of its <c>init</c> reply. Names without a mapping (e.g. <c>json</c>) are never met.
/// </summary>
internal static class FeatureRequirements
{
    private static readonly Dictionary<string, string> InitPropertyByYamlName = new(StringComparer.Ordinal)
    {
        ["batching"] = "batching",
        ["sse"] = "sse",
        ["long-poll"] = "longPoll",
        ["longPoll"] = "longPoll",
        ["auto"] = "auto",
        ["streaming"] = "streaming",
        ["dynamicHeaders"] = "dynamicHeaders",
        ["dynamic-headers"] = "dynamicHeaders",
        ["retryOptions"] = "retryOptions",
        ["retry-options"] = "retryOptions",
        ["batchItems"] = "batchItems",
        ["batch-items"] = "batchItems",
        ["strictZeroValidation"] = "strictZeroValidation",
        ["strict-zero-validation"] = "strictZeroValidation",
    };

    /// <summary>The required names (as written in YAML) that the adapter does not offer.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<string> required, JsonObject? initResult)
    {
        var features = initResult?["features"] as JsonObject;
        return required.Where(name => !IsMet(name, features)).ToList();
    }

    /// <summary>Skip reason for the first unmet list (suite before test), or <c>null</c> when the case may run.</summary>
    public static string? SkipReason(IReadOnlyList<string> suiteRequires, IReadOnlyList<string> testRequires, JsonObject? initResult)
    {
        foreach (var required in new[] { suiteRequires, testRequires })
        {
            var missing = Missing(required, initResult);
            if (missing.Count > 0)
            {
                return "missing features: " + string.Join(", ", missing);
            }
        }

        return null;
    }

    private static bool IsMet(string name, JsonObject? features) =>
        features is not null
        && InitPropertyByYamlName.TryGetValue(name, out var property)
        && JsValues.IsTruthy(features[property]);
}
