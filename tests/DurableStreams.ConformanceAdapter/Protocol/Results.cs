using System.Text.Json.Nodes;

namespace DurableStreams.ConformanceAdapter.Protocol;

/// <summary>Builders for result envelopes.</summary>
internal static class Results
{
    public static JsonObject Success(string type) => new() { ["type"] = type, ["success"] = true };

    public static JsonObject Error(string commandType, string errorCode, string message, int? status = null)
    {
        var result = new JsonObject
        {
            ["type"] = "error",
            ["success"] = false,
            ["commandType"] = commandType,
            ["errorCode"] = errorCode,
            ["message"] = message,
        };
        if (status is not null) result["status"] = status.Value;
        return result;
    }
}
