using System.Text.Json.Nodes;
using DurableStreams.Conformance.Json;
using DurableStreams.Conformance.Yaml;

namespace DurableStreams.Conformance.Expectations;

/// <summary>
/// Steps whose case text documents two acceptable outcomes while its <c>expect</c> block can only
/// express one. The strict rule accepts the documented second outcome exactly (code and status),
/// nothing looser. Each entry quotes the case so the allowance can be checked against the YAML.
/// </summary>
internal static class DocumentedAlternatives
{
    private sealed record Alternative(string CaseKey, string Action, string ErrorCode, int Status, string Quote);

    private static readonly Alternative[] All =
    [
        // consumer/error-handling.yaml, read-future-offset: "Server should either return empty or 400".
        // Server 0.3.7 answers the malformed offset with 400, which the client reports as INVALID_OFFSET.
        new("consumer-errors/read-future-offset", "read", "INVALID_OFFSET", 400, "Server should either return empty or 400"),
    ];

    /// <summary>Whether <paramref name="result"/> is the documented alternative outcome of this step.</summary>
    public static bool Accepts(string caseKey, CaseStep step, JsonObject result)
    {
        if (ResultShape.IsSuccess(result)) return false;
        foreach (var alternative in All)
        {
            if (alternative.CaseKey == caseKey && alternative.Action == step.Action
                && JsValues.ToText(result["errorCode"]) == alternative.ErrorCode
                && JsValues.TryGetNumber(result["status"], out var status) && status == alternative.Status)
                return true;
        }
        return false;
    }
}
