using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DurableStreams.ConformanceAdapter.Protocol;

namespace DurableStreams.ConformanceAdapter.Commands;

/// <summary>create, connect, head, delete, close and append.</summary>
internal static class StreamCommands
{
    public static async Task<JsonObject> CreateAsync(AdapterState state, JsonObject command)
    {
        var path = command.RequiredString("path");
        var contentType = command.String("contentType") ?? "application/octet-stream";
        var options = new CreateStreamOptions
        {
            ContentType = contentType,
            Ttl = command.Int64("ttlSeconds") is { } ttl ? TimeSpan.FromSeconds(ttl) : null,
            ExpiresAt = command.String("expiresAt") is { } at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : null,
            Closed = command.Bool("closed") == true,
            InitialData = command.String("data") is { } data ? Encoding.UTF8.GetBytes(data) : null,
            Headers = command.StringMap("headers"),
        };
        var stream = state.Client.GetStream(AdapterState.Relative(path), contentType);
        var created = await stream.CreateAsync(options);
        state.RememberContentType(path, contentType);
        var result = Results.Success("create");
        result["status"] = created.Created ? 201 : 200;
        if (created.Offset is { } offset) result["offset"] = offset.Value;
        return result;
    }

    /// <summary>connect: a HEAD that proves the stream exists and remembers its content type.</summary>
    public static async Task<JsonObject> ConnectAsync(AdapterState state, JsonObject command) =>
        (await HeadResultAsync(state, command, "connect")).Result;

    public static async Task<JsonObject> HeadAsync(AdapterState state, JsonObject command)
    {
        var (result, metadata) = await HeadResultAsync(state, command, "head");
        if (metadata.ContentType is not null) result["contentType"] = metadata.ContentType;
        result["streamClosed"] = metadata.Closed;
        return result;
    }

    private static async Task<(JsonObject Result, StreamMetadata Metadata)> HeadResultAsync(AdapterState state, JsonObject command, string type)
    {
        var path = command.RequiredString("path");
        var metadata = await state.Client.GetStream(AdapterState.Relative(path)).HeadAsync();
        state.RememberContentType(path, metadata.ContentType);
        var result = Results.Success(type);
        result["status"] = 200;
        if (metadata.Offset is { } offset) result["offset"] = offset.Value;
        return (result, metadata);
    }

    public static async Task<JsonObject> DeleteAsync(AdapterState state, JsonObject command)
    {
        var path = command.RequiredString("path");
        await state.Client.GetStream(AdapterState.Relative(path)).DeleteAsync();
        state.Forget(path);
        var result = Results.Success("delete");
        result["status"] = 200;
        return result;
    }

    public static async Task<JsonObject> CloseAsync(AdapterState state, JsonObject command)
    {
        var path = command.RequiredString("path");
        var data = command.String("data");
        var contentType = command.String("contentType");
        var stream = contentType is null
            ? state.Stream(path)
            : state.Client.GetStream(AdapterState.Relative(path), contentType);
        var closed = await stream.CloseAsync(string.IsNullOrEmpty(data) ? null : Encoding.UTF8.GetBytes(data));
        var result = Results.Success("close");
        result["finalOffset"] = closed.FinalOffset?.Value ?? "";
        return result;
    }

    public static async Task<JsonObject> AppendAsync(AdapterState state, JsonObject command)
    {
        var path = command.RequiredString("path");
        var text = command.String("data") ?? "";
        var data = command.Bool("binary") == true ? Convert.FromBase64String(text) : Encoding.UTF8.GetBytes(text);
        var evaluation = state.Dynamic.Evaluate();
        var options = new AppendOptions
        {
            Seq = command.Int64("seq")?.ToString(CultureInfo.InvariantCulture),
            Headers = evaluation.MergeHeaders(command.StringMap("headers")),
            QueryParameters = evaluation.Query,
        };
        var stream = state.Stream(path);
        var appended = await stream.AppendAsync(data, options);
        var offset = appended.Offset ?? (await stream.HeadAsync()).Offset;
        var result = Results.Success("append");
        result["status"] = 200;
        if (offset is { } tail) result["offset"] = tail.Value;
        evaluation.Report(result);
        return result;
    }
}
