using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableStreams.ConformanceAdapter.Protocol;

namespace DurableStreams.ConformanceAdapter.Commands;

/// <summary>The runner's benchmark operations (ADAPTER-PROTOCOL.md §9), timed end to end.</summary>
internal static class BenchmarkCommand
{
    public static async Task<JsonObject> RunAsync(AdapterState state, JsonObject command)
    {
        if (command["operation"] is not JsonObject operation)
            return Results.Error("benchmark", "INVALID_ARGUMENT", "benchmark needs an operation.");
        var op = operation.String("op");
        var path = operation.String("path") ?? "";
        var clock = Stopwatch.StartNew();
        long bytes = 0, messages = 0;
        switch (op)
        {
            case "append":
            {
                var size = (int)(operation.Int64("size") ?? 0);
                await state.Stream(path).AppendAsync(Filled(size));
                bytes = size;
                break;
            }
            case "read":
            {
                var options = new ReadOptions { Offset = Offset.Parse(operation.String("offset")) };
                await using var response = await state.Stream(path).ReadAsync(options);
                bytes = (await response.ReadAllBytesAsync()).Length;
                break;
            }
            case "create":
            {
                var contentType = operation.String("contentType") ?? "application/octet-stream";
                await state.Client.GetStream(AdapterState.Relative(path), contentType).CreateAsync(new CreateStreamOptions { ContentType = contentType });
                state.RememberContentType(path, contentType);
                break;
            }
            case "roundtrip":
                bytes = await RoundTripAsync(state, operation, path);
                break;
            case "throughput_append":
            {
                var count = (int)(operation.Int64("count") ?? 0);
                var size = (int)(operation.Int64("size") ?? 0);
                var stream = state.Stream(path);
                try { await stream.CreateAsync(new CreateStreamOptions { ContentType = state.ContentTypeOf(path) }); }
                catch (DurableStreamException) { /* exists already */ }
                await using var producer = stream.CreateProducer(new IdempotentProducerOptions
                {
                    ProducerId = "bench-" + Guid.NewGuid().ToString("N"),
                    Linger = TimeSpan.Zero,
                });
                var payload = Filled(size);
                for (var i = 0; i < count; i++) await producer.AppendAsync(payload);
                await producer.FlushAsync();
                bytes = (long)count * size;
                messages = count;
                break;
            }
            case "throughput_read":
            {
                await using var response = await state.Stream(path).ReadAsync();
                await foreach (var item in response.ReadJsonAsync(AdapterJson.Default.JsonElement))
                {
                    messages++;
                    bytes += Encoding.UTF8.GetByteCount(item.GetRawText());
                }
                break;
            }
            default:
                return Results.Error("benchmark", "NOT_SUPPORTED", $"Unknown benchmark op '{op}'.");
        }
        clock.Stop();
        var result = Results.Success("benchmark");
        result["iterationId"] = command.String("iterationId");
        result["durationNs"] = ((long)(clock.Elapsed.TotalMilliseconds * 1_000_000)).ToString(CultureInfo.InvariantCulture);
        var metrics = new JsonObject { ["bytesTransferred"] = bytes };
        if (messages > 0) metrics["messagesProcessed"] = messages;
        result["metrics"] = metrics;
        return result;
    }

    private static async Task<long> RoundTripAsync(AdapterState state, JsonObject operation, string path)
    {
        var size = (int)(operation.Int64("size") ?? 0);
        var contentType = operation.String("contentType") ?? "application/octet-stream";
        var live = operation.String("live") == "sse" ? LiveMode.Sse : LiveMode.LongPoll;
        var stream = state.Client.GetStream(AdapterState.Relative(path), contentType);
        await stream.CreateAsync(new CreateStreamOptions { ContentType = contentType });
        state.RememberContentType(path, contentType);
        await using var response = await stream.ReadAsync(new ReadOptions { Live = live });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var payload = contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetBytes("\"" + new string('x', Math.Max(0, size - 2)) + "\"")
            : Filled(size);
        var append = stream.AppendAsync(payload);
        long received = 0;
        await foreach (var chunk in response.ReadChunksAsync(timeout.Token))
        {
            if (chunk.Data.IsEmpty || chunk.Data.Span.SequenceEqual("[]"u8)) continue;
            received = chunk.Data.Length;
            break;
        }
        await append;
        return size + received;
    }

    private static byte[] Filled(int size)
    {
        var data = new byte[size];
        Array.Fill(data, (byte)0x2A);
        return data;
    }
}
