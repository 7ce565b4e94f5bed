using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableStreams.ConformanceAdapter.Protocol;

namespace DurableStreams.ConformanceAdapter.Commands;

/// <summary>
/// The suite's read: open (bounded by timeoutMs), then collect chunks until the read ends, the chunk
/// limit, up-to-date (when asked), or a second timeoutMs budget (ADAPTER-PROTOCOL.md §6.9).
/// </summary>
internal static class ReadCommand
{
    public static async Task<JsonObject> RunAsync(AdapterState state, JsonObject command)
    {
        var path = command.RequiredString("path");
        var requestedOffset = command.String("offset");
        var timeout = TimeSpan.FromMilliseconds(command.Int64("timeoutMs") ?? 5000);
        var maxChunks = command.Int64("maxChunks") ?? 100;
        var waitForUpToDate = command.Bool("waitForUpToDate") == true;
        var live = LiveModeOf(command["live"]);
        var evaluation = state.Dynamic.Evaluate();

        var options = new ReadOptions
        {
            Offset = Offset.Parse(requestedOffset),
            Live = live,
            Headers = evaluation.MergeHeaders(command.StringMap("headers")),
            QueryParameters = evaluation.Query,
        };

        StreamResponse response;
        // A live read may wait for data that never comes: past the budget it is an empty, successful read. A
        // catch-up read never waits for data, so it gets no budget of its own: it ends with data or with the
        // client's error once its retries are spent (a cut-off opening would report "no data" as success).
        using (var opening = new CancellationTokenSource(live == LiveMode.Off ? Timeout.InfiniteTimeSpan : timeout))
        {
            try
            {
                response = await state.Stream(path).ReadAsync(options, opening.Token);
            }
            catch (OperationCanceledException) when (opening.IsCancellationRequested)
            {
                // The first response never came within the budget: an empty, successful read.
                var empty = Results.Success("read");
                empty["status"] = 200;
                empty["chunks"] = new JsonArray();
                empty["offset"] = requestedOffset ?? "-1";
                empty["upToDate"] = true;
                evaluation.Report(empty);
                return empty;
            }
        }

        await using (response)
        {
            var chunks = new JsonArray();
            var offset = response.Offset.Value;
            var upToDate = response.UpToDate;
            var closed = response.StreamClosed;
            var status = response.Status;
            var clock = Stopwatch.StartNew();
            using var budget = new CancellationTokenSource(live == LiveMode.Off ? Timeout.InfiniteTimeSpan : timeout);
            var json = response.IsJson;
            try
            {
                await foreach (var chunk in response.ReadChunksAsync(budget.Token))
                {
                    if (live != LiveMode.Off && clock.Elapsed > timeout) break;
                    var text = json ? CompactJson(chunk.Data, path) : Encoding.UTF8.GetString(chunk.Data.Span);
                    if (text is not null && text.Length > 0)
                        chunks.Add((JsonNode)new JsonObject { ["data"] = text, ["offset"] = chunk.Offset.Value });
                    offset = chunk.Offset.Value;
                    upToDate = chunk.UpToDate;
                    closed = chunk.StreamClosed;
                    status = response.Status;
                    if (live == LiveMode.Off) continue;
                    if (waitForUpToDate && upToDate) break;
                    if (chunks.Count >= maxChunks) break;
                }
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested)
            {
                upToDate = true;
                offset = response.Offset.Value;
                status = response.Status;
            }

            if (live == LiveMode.Off && chunks.Count > 1) chunks = MergeCatchUp(chunks, json, offset);
            var result = Results.Success("read");
            result["status"] = status;
            result["chunks"] = chunks;
            result["offset"] = offset;
            result["upToDate"] = upToDate;
            result["streamClosed"] = closed;
            evaluation.Report(result);
            return result;
        }
    }

    private static LiveMode LiveModeOf(JsonNode? live) => live switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.True => LiveMode.Auto,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() switch
        {
            "long-poll" => LiveMode.LongPoll,
            "sse" => LiveMode.Sse,
            _ => LiveMode.Off,
        },
        _ => LiveMode.Off,
    };

    /// <summary>A JSON chunk as a compact array of its messages, or null when it holds none.</summary>
    private static string? CompactJson(ReadOnlyMemory<byte> data, string path)
    {
        if (data.Span.Trim(" \t\r\n"u8).IsEmpty) return null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(data);
        }
        catch (JsonException ex)
        {
            throw new DurableStreamParseException($"Invalid JSON in response for {path}: {ex.Message}", null, null, ex);
        }
        using (document)
        {
            var root = document.RootElement;
            var items = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            if (items.Count == 0) return null;
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartArray();
                foreach (var item in items) item.WriteTo(writer);
                writer.WriteEndArray();
            }
            return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }

    /// <summary>A catch-up read reports at most one chunk: everything it read, joined.</summary>
    private static JsonArray MergeCatchUp(JsonArray chunks, bool json, string offset)
    {
        var texts = chunks.Select(c => (string)c!["data"]!).ToList();
        var data = json ? "[" + string.Join(",", texts.Select(t => t[1..^1])) + "]" : string.Concat(texts);
        return new JsonArray(new JsonObject { ["data"] = data, ["offset"] = offset });
    }
}
