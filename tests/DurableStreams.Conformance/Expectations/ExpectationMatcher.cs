using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableStreams.Conformance.Json;

namespace DurableStreams.Conformance.Expectations;

/// <summary>
/// Checks one result object against an <c>expect</c> block, key by key in the format's fixed
/// order; the first failing key decides. Keys outside the table are ignored, and most keys only
/// apply to a successful result of one type (on other results they count as met). Whether a
/// step was allowed to fail at all is <see cref="StrictOutcomeRule"/>'s job.
/// </summary>
internal static class ExpectationMatcher
{
    public static ExpectationMismatch? Check(JsonObject expect, JsonObject result)
    {
        foreach (var check in Checks)
        {
            if (expect.TryGetPropertyValue(check.Key, out var expected) && check.Applies(result))
            {
                var problem = check.Compare(expected, result);
                if (problem is not null)
                {
                    return new ExpectationMismatch(check.Key, problem);
                }
            }
        }

        return null;
    }

    private sealed record KeyCheck(string Key, Func<JsonObject, bool> Applies, Func<JsonNode?, JsonObject, string?> Compare);

    private static readonly Func<JsonObject, bool> Always = _ => true;
    private static readonly Func<JsonObject, bool> ReadSuccess = r => ResultShape.IsSuccessOf(r, "read");
    private static readonly Func<JsonObject, bool> HeadSuccess = r => ResultShape.IsSuccessOf(r, "head");
    private static readonly Func<JsonObject, bool> AppendSuccess = r => ResultShape.IsSuccessOf(r, "append");
    private static readonly Func<JsonObject, bool> CloseSuccess = r => ResultShape.IsSuccessOf(r, "close");
    private static readonly Func<JsonObject, bool> ErrorResult = ResultShape.IsErrorResult;

    private static readonly KeyCheck[] Checks =
    [
        // Only when the result carries a status at all: a successful close or validate has none.
        new("status", r => r.ContainsKey("status"), (e, r) => SameValue(e, r, "status")),
        new("errorCode", Always, CompareErrorCode),
        new("messageContains", Always, CompareMessageContains),
        new("data", ReadSuccess, (e, r) => WithReadData(r, data => JsValues.StrictEquals(JsonValue.Create(data), e)
            ? null
            : $"expected {Show(e)}, read data was {Show(data)}")),
        new("dataContains", ReadSuccess, (e, r) => WithReadData(r, data => data.Contains(JsValues.ToText(e), StringComparison.Ordinal)
            ? null
            : $"read data {Show(data)} does not contain {Show(e)}")),
        new("dataContainsAll", ReadSuccess, CompareDataContainsAll),
        new("dataExact", ReadSuccess, CompareDataExact),
        new("upToDate", ReadSuccess, (e, r) => SameValue(e, r, "upToDate")),
        new("streamClosed", ReadSuccess, (e, r) => SameValue(e, r, "streamClosed")),
        new("streamClosed", HeadSuccess, (e, r) => SameValue(e, r, "streamClosed")),
        new("finalOffset", CloseSuccess, (e, r) => SameValue(e, r, "finalOffset")),
        new("chunkCount", ReadSuccess, (e, r) => WithChunks(r, chunks => JsValues.StrictEquals(JsonValue.Create(chunks.Count), e)
            ? null
            : $"expected {Show(e)} chunks, got {chunks.Count}")),
        new("minChunks", ReadSuccess, (e, r) => WithChunks(r, chunks => JsValues.TryGetNumber(e, out var minimum) && chunks.Count >= minimum
            ? null
            : $"expected at least {Show(e)} chunks, got {chunks.Count}")),
        new("contentType", HeadSuccess, (e, r) => SameValue(e, r, "contentType")),
        new("hasOffset", HeadSuccess, CompareHasOffset),
        new("headersSent", Always, (e, r) => CompareSentValues(e, r, "headersSent")),
        new("paramsSent", Always, (e, r) => CompareSentValues(e, r, "paramsSent")),
        new("duplicate", AppendSuccess, (e, r) => SameValue(e, r, "duplicate")),
        new("producerEpoch", AppendSuccess, (e, r) => SameValue(e, r, "producerEpoch")),
        new("producerSeq", AppendSuccess, (e, r) => SameValue(e, r, "producerSeq")),
        new("producerExpectedSeq", AppendSuccess, (e, r) => SameValue(e, r, "producerExpectedSeq")),
        new("producerReceivedSeq", AppendSuccess, (e, r) => SameValue(e, r, "producerReceivedSeq")),
        new("valid", Always, CompareValid),
        new("errorContains", ErrorResult, (e, r) => Message(r).Contains(JsValues.ToText(e), StringComparison.Ordinal)
            ? null
            : $"error message {Show(Message(r))} does not contain {Show(e)} (case-sensitive)"),
    ];

    // Strict equality with presence: an absent property never equals anything, not even false/0/"".
    private static string? SameValue(JsonNode? expected, JsonObject result, string property)
    {
        if (!result.TryGetPropertyValue(property, out var actual))
        {
            return $"expected {Show(expected)}, but the result has no '{property}'";
        }

        return JsValues.StrictEquals(actual, expected) ? null : $"expected {Show(expected)}, got {Show(actual)}";
    }

    private static string? CompareErrorCode(JsonNode? expected, JsonObject result)
    {
        if (ResultShape.IsSuccess(result))
        {
            return $"expected error {Show(expected)} but the operation succeeded";
        }

        if (!ResultShape.IsErrorResult(result))
        {
            return null; // e.g. a failed append-batch composite: not an error result, nothing to compare
        }

        return JsValues.StrictEquals(result["errorCode"], expected)
            ? null
            : $"expected error code {Show(expected)}, got {Show(result["errorCode"])} (message: {Show(Message(result))})";
    }

    private static string? CompareMessageContains(JsonNode? expected, JsonObject result)
    {
        if (ResultShape.IsSuccess(result))
        {
            return "expected an error whose message contains " + Show(expected) + " but the operation succeeded";
        }

        if (!ResultShape.IsErrorResult(result))
        {
            return null;
        }

        var message = Message(result).ToLowerInvariant();
        var missing = Entries(expected).Where(part => !message.Contains(part.ToLowerInvariant(), StringComparison.Ordinal)).ToList();
        return missing.Count == 0
            ? null
            : $"error message {Show(Message(result))} does not contain {string.Join(", ", missing.Select(Show))} (case-insensitive)";
    }

    private static string? CompareDataContainsAll(JsonNode? expected, JsonObject result) =>
        WithReadData(result, data =>
        {
            var missing = Entries(expected).Where(part => !data.Contains(part, StringComparison.Ordinal)).ToList();
            return missing.Count == 0
                ? null
                : $"read data {Show(data)} is missing {string.Join(", ", missing.Select(Show))}";
        });

    private static string? CompareDataExact(JsonNode? expected, JsonObject result) =>
        WithChunks(result, chunks =>
        {
            var expectedChunks = expected as JsonArray ?? [];
            if (expectedChunks.Count != chunks.Count)
            {
                return $"expected {expectedChunks.Count} chunks, got {chunks.Count}";
            }

            for (var i = 0; i < chunks.Count; i++)
            {
                if (!JsValues.StrictEquals(chunks[i]?["data"], expectedChunks[i]))
                {
                    return $"chunk {i}: expected {Show(expectedChunks[i])}, got {Show(chunks[i]?["data"])}";
                }
            }

            return null;
        });

    private static string? CompareHasOffset(JsonNode? expected, JsonObject result)
    {
        // Present and not "": a JSON null offset counts as present.
        var hasOffset = result.TryGetPropertyValue("offset", out var offset) && JsValues.AsString(offset) != string.Empty;
        return JsValues.StrictEquals(JsonValue.Create(hasOffset), expected)
            ? null
            : $"expected {Show(expected)}, but the result's offset is {(result.ContainsKey("offset") ? Show(offset) : "absent")}";
    }

    private static string? CompareSentValues(JsonNode? expected, JsonObject result, string property)
    {
        var carrier = ResultShape.IsSuccessOf(result, "append") || ResultShape.IsSuccessOf(result, "read");
        if (!carrier || result[property] is not JsonObject sent)
        {
            return $"expected a successful append or read result carrying '{property}', got {Show(result)}";
        }

        foreach (var (name, value) in expected as JsonObject ?? [])
        {
            if (!sent.TryGetPropertyValue(name, out var actual) || !JsValues.StrictEquals(actual, value))
            {
                return $"{property}[{name}]: expected {Show(value)}, got {(sent.ContainsKey(name) ? Show(actual) : "nothing")}";
            }
        }

        return null;
    }

    private static string? CompareValid(JsonNode? expected, JsonObject result)
    {
        var succeeded = ResultShape.IsSuccess(result);
        return expected?.GetValueKind() switch
        {
            JsonValueKind.True when !succeeded => $"expected the options to be accepted, but got {Show(result)}",
            JsonValueKind.False when succeeded => "expected the options to be rejected, but they were accepted",
            _ => null,
        };
    }

    private static string? WithReadData(JsonObject result, Func<string, string?> compare) =>
        WithChunks(result, chunks =>
        {
            // The runner only ever joins the chunks' text; binary flags are not interpreted.
            var data = new StringBuilder();
            foreach (var chunk in chunks)
            {
                data.Append(JsValues.ToText(chunk?["data"]));
            }

            return compare(data.ToString());
        });

    private static string? WithChunks(JsonObject result, Func<JsonArray, string?> compare) =>
        result["chunks"] is JsonArray chunks
            ? compare(chunks)
            : "the read result has no 'chunks' array";

    private static string Message(JsonObject result) => JsValues.ToText(result["message"]);

    // A list, or a single value treated as a one-element list.
    private static IEnumerable<string> Entries(JsonNode? expected) =>
        expected is JsonArray list ? list.Select(JsValues.ToText) : [JsValues.ToText(expected)];

    private static string Show(string text) => CompactJson.Stringify(JsonValue.Create(text));

    private static string Show(JsonNode? value) => CompactJson.Stringify(value);
}
