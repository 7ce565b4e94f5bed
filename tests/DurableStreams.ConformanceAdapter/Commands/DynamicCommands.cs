using System.Text.Json.Nodes;
using DurableStreams.ConformanceAdapter.Protocol;

namespace DurableStreams.ConformanceAdapter.Commands;

/// <summary>set-dynamic-header, set-dynamic-param and clear-dynamic.</summary>
internal static class DynamicCommands
{
    public static JsonObject SetHeader(AdapterState state, JsonObject command)
    {
        state.Dynamic.SetHeader(command.RequiredString("name"), command.RequiredString("valueType"), command.String("initialValue"));
        return Results.Success("set-dynamic-header");
    }

    public static JsonObject SetParam(AdapterState state, JsonObject command)
    {
        state.Dynamic.SetParam(command.RequiredString("name"), command.RequiredString("valueType"));
        return Results.Success("set-dynamic-param");
    }

    public static JsonObject Clear(AdapterState state)
    {
        state.Dynamic.Clear();
        return Results.Success("clear-dynamic");
    }
}
