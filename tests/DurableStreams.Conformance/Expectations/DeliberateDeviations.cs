using System.Text.Json.Nodes;
using DurableStreams.Conformance.Json;
using DurableStreams.Conformance.Yaml;

namespace DurableStreams.Conformance.Expectations;

/// <summary>
/// Steps where this client refuses, by design, what the case expects to succeed. The strict rule
/// accepts exactly the named error on exactly that step; the case's other steps still run and are
/// judged as usual. Each entry says why the client refuses.
/// </summary>
internal static class DeliberateDeviations
{
    private sealed record Deviation(string CaseKey, CasePhase Phase, int Index, string Action, string ErrorCode, string MessageFragment);

    private static readonly Deviation[] All =
    [
        // producer/idempotent-json-batching.yaml, client-deduplication-works: a second producer instance
        // at the same explicit epoch sends its batch as (epoch 0, seq 0) again, and the case expects the
        // server's duplicate answer (204) to count as success. The server cannot tell an identical batch
        // from a different one, so a duplicate answer to a batch an instance never sent means another
        // writer holds the number: taken as success, different data would be lost silently. The client
        // fails with ProducerEpochCollisionException instead; the case's read step still checks that
        // nothing was stored twice.
        new("idempotent-json-batching/client-deduplication-works", CasePhase.Operations, 1, "idempotent-append-batch",
            "CONFLICT", "collided with another writer"),
    ];

    /// <summary>Whether <paramref name="result"/> is the deliberate refusal of this step.</summary>
    public static bool Accepts(string caseKey, CaseStep step, JsonObject result)
    {
        if (!ResultShape.IsErrorResult(result)) return false;
        var message = JsValues.AsString(result["message"]) ?? "";
        foreach (var deviation in All)
        {
            if (deviation.CaseKey == caseKey && deviation.Phase == step.Phase && deviation.Index == step.Index
                && deviation.Action == step.Action && JsValues.AsString(result["errorCode"]) == deviation.ErrorCode
                && message.Contains(deviation.MessageFragment, StringComparison.Ordinal))
                return true;
        }
        return false;
    }
}
