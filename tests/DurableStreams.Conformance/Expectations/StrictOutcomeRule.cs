using System.Text.Json;
using System.Text.Json.Nodes;
using DurableStreams.Conformance.Json;

namespace DurableStreams.Conformance.Expectations;

/// <summary>
/// Our verdicts are stricter than upstream's: an adapter result must succeed or fail exactly as
/// the step's <c>expect</c> says. An error result is only acceptable when <c>expect</c> asks for
/// an error, and a success is not acceptable when it does. Upstream skips most keys on error
/// results, so a step that should have returned data can "pass" by failing; here it cannot.
/// </summary>
internal static class StrictOutcomeRule
{
    /// <summary>
    /// The keys by which <paramref name="expect"/> asks for a failure: <c>errorCode</c>,
    /// <c>messageContains</c>, <c>errorContains</c>, <c>error: true</c>, <c>valid: false</c>, or an
    /// HTTP error <c>status</c> (≥ 400), which an adapter can only report on an error result.
    /// </summary>
    public static IReadOnlyList<string> ErrorRequests(JsonObject expect)
    {
        var requests = new List<string>();
        foreach (var key in new[] { "errorCode", "messageContains", "errorContains" })
        {
            if (expect[key] is not null)
            {
                requests.Add(key);
            }
        }

        if (expect["error"]?.GetValueKind() == JsonValueKind.True)
        {
            requests.Add("error: true");
        }

        if (expect["valid"]?.GetValueKind() == JsonValueKind.False)
        {
            requests.Add("valid: false");
        }

        if (JsValues.TryGetNumber(expect["status"], out var status) && status >= 400)
        {
            requests.Add("status: " + JsValues.ToText(expect["status"]));
        }

        return requests;
    }

    public static bool ExpectsError(JsonObject expect) => ErrorRequests(expect).Count > 0;

    /// <summary>Checks an adapter result's success/failure against what <paramref name="expect"/> asks for.</summary>
    public static ExpectationMismatch? Check(JsonObject expect, JsonObject result)
    {
        if (CheckOutcome(ExpectsError(expect), ErrorRequests(expect), expect, result, subject: "the step") is { } mismatch)
        {
            return mismatch;
        }

        // expect.status is skipped on results without a status; but when an HTTP error status is
        // what makes the failure acceptable, an error that names no status is not that failure.
        var expectedStatus = expect["status"];
        if (!ResultShape.IsSuccess(result) && JsValues.TryGetNumber(expectedStatus, out var status) && status >= 400
            && !result.ContainsKey("status"))
        {
            return ExpectationMismatch.Outcome(
                $"expected a failure with HTTP status {JsValues.ToText(expectedStatus)}, but the error result carries no status ({Describe(result)})");
        }

        return null;
    }

    /// <summary>
    /// <c>append-batch</c> sends one append per item; each item must succeed unless its index is
    /// listed in <c>failIndices</c>, in which case it must fail.
    /// </summary>
    public static ExpectationMismatch? CheckBatchItem(JsonObject expect, int itemIndex, JsonObject itemResult)
    {
        var mustFail = expect["failIndices"] is JsonArray failIndices
            && failIndices.Any(index => JsValues.TryGetNumber(index, out var value) && value == itemIndex);
        IReadOnlyList<string> reason = mustFail ? ["failIndices"] : [];
        return CheckOutcome(mustFail, reason, expect, itemResult, subject: $"batch item {itemIndex}");
    }

    private static ExpectationMismatch? CheckOutcome(
        bool mustFail, IReadOnlyList<string> failureRequests, JsonObject expect, JsonObject result, string subject)
    {
        var succeeded = ResultShape.IsSuccess(result);
        if (!succeeded && !mustFail)
        {
            var keys = expect.Count == 0 ? "no expect block" : "expect keys: " + string.Join(", ", expect.Select(entry => entry.Key));
            return ExpectationMismatch.Outcome(
                $"{subject} returned an error result ({Describe(result)}), but its expect does not ask for an error ({keys})");
        }

        if (succeeded && mustFail)
        {
            return ExpectationMismatch.Outcome(
                $"{subject} was expected to fail ({string.Join(", ", failureRequests)}), but it succeeded");
        }

        return null;
    }

    private static string Describe(JsonObject result)
    {
        var code = JsValues.ToText(result["errorCode"]);
        var status = result.ContainsKey("status") ? " " + JsValues.ToText(result["status"]) : string.Empty;
        var message = JsValues.ToText(result["message"]);
        return $"{(code.Length > 0 ? code : "no errorCode")}{status}: {message}";
    }
}
