using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableStreams.ConformanceAdapter.Protocol;

/// <summary>Typed access to optional command fields.</summary>
internal static class CommandFields
{
    public static string? String(this JsonObject command, string name) =>
        command[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static string RequiredString(this JsonObject command, string name) =>
        command.String(name) ?? throw new ArgumentException($"Command field '{name}' is required.");

    public static long? Int64(this JsonObject command, string name) =>
        command[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? (v.TryGetValue<long>(out var l) ? l : (long)v.GetValue<double>()) : null;

    public static double? Double(this JsonObject command, string name) =>
        command[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;

    public static bool? Bool(this JsonObject command, string name) =>
        command[name] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;

    public static Dictionary<string, string>? StringMap(this JsonObject command, string name)
    {
        if (command[name] is not JsonObject map) return null;
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in map)
            if (value is JsonValue v) result[key] = v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
        return result;
    }
}
