using System.Text.Json.Nodes;
using DurableStreams.Conformance.Json;

namespace DurableStreams.Conformance.Expectations;

/// <summary>Classifies a result object the way the expectation rules scope their keys.</summary>
internal static class ResultShape
{
    public static string? Type(JsonObject result) => JsValues.AsString(result["type"]);

    public static bool IsSuccess(JsonObject result) => JsValues.IsTruthy(result["success"]);

    /// <summary><c>type: "error"</c> with a falsy <c>success</c>: the only shape error keys compare against.</summary>
    public static bool IsErrorResult(JsonObject result) => Type(result) == "error" && !IsSuccess(result);

    /// <summary>A successful result of the given type, e.g. read-success.</summary>
    public static bool IsSuccessOf(JsonObject result, string type) => Type(result) == type && IsSuccess(result);
}
