using System.Text;
using System.Text.Json.Nodes;
using DurableStreams.ConformanceAdapter.Protocol;

namespace DurableStreams.ConformanceAdapter.Commands;

/// <summary>
/// idempotent-append/-close/-detach share one producer per (path, producerId, epoch), so sequence
/// numbers continue across commands; idempotent-append-batch uses a fresh producer each time. Every
/// producer writes at the epoch the command names (the runner sends 0 when the case gives none): the
/// cases manage epochs themselves and expect, e.g., a stale-epoch error at epoch 0 once the server has
/// moved on, where a producer left to start a new session would claim the next epoch instead.
/// </summary>
internal static class ProducerCommands
{
    public static async Task<JsonObject> AppendAsync(AdapterState state, JsonObject command)
    {
        var producer = Cached(state, command);
        await producer.AppendAsync(Encoding.UTF8.GetBytes(command.String("data") ?? ""));
        await producer.FlushAsync();
        return Ok("idempotent-append");
    }

    public static async Task<JsonObject> AppendBatchAsync(AdapterState state, JsonObject command)
    {
        var path = command.RequiredString("path");
        var maxInFlight = (int)(command.Int64("maxInFlight") ?? 1);
        var options = new IdempotentProducerOptions
        {
            ProducerId = command.RequiredString("producerId"),
            Epoch = EpochOf(command),
            AutoClaim = command.Bool("autoClaim") == true,
            MaxInFlight = Math.Max(1, maxInFlight),
            // Pipelined: one request per item. Otherwise: all items in a single request.
            MaxBatchItems = maxInFlight > 1 ? 1 : int.MaxValue,
            Linger = maxInFlight > 1 ? TimeSpan.Zero : TimeSpan.FromHours(1),
        };
        await using var producer = state.Stream(path).CreateProducer(options);
        foreach (var item in command["items"] as JsonArray ?? [])
            await producer.AppendAsync(Encoding.UTF8.GetBytes((string?)item ?? ""));
        await producer.FlushAsync();
        return Ok("idempotent-append-batch");
    }

    public static async Task<JsonObject> CloseAsync(AdapterState state, JsonObject command)
    {
        var producer = Cached(state, command);
        var data = command.String("data");
        var closed = await producer.CloseStreamAsync(string.IsNullOrEmpty(data) ? null : Encoding.UTF8.GetBytes(data));
        var result = Ok("idempotent-close");
        if (closed.FinalOffset is { } finalOffset) result["finalOffset"] = finalOffset.Value;
        return result;
    }

    public static async Task<JsonObject> DetachAsync(AdapterState state, JsonObject command)
    {
        var key = Key(command);
        if (state.Producers.Remove(key, out var producer)) await producer.DisposeAsync();
        return Ok("idempotent-detach");
    }

    private static IdempotentProducer Cached(AdapterState state, JsonObject command)
    {
        var key = Key(command);
        if (!state.Producers.TryGetValue(key, out var producer))
        {
            producer = state.Stream(key.Path).CreateProducer(new IdempotentProducerOptions
            {
                ProducerId = key.ProducerId,
                Epoch = key.Epoch,
                AutoClaim = command.Bool("autoClaim") == true,
                MaxInFlight = 1,
                Linger = TimeSpan.Zero,
            });
            state.Producers[key] = producer;
        }
        return producer;
    }

    private static (string Path, string ProducerId, long Epoch) Key(JsonObject command) =>
        (command.RequiredString("path"), command.RequiredString("producerId"), EpochOf(command));

    /// <summary>The case's epoch, explicit (ADAPTER-PROTOCOL.md §6.5: default 0).</summary>
    private static long EpochOf(JsonObject command) => command.Int64("epoch") ?? 0;

    private static JsonObject Ok(string type)
    {
        var result = Results.Success(type);
        result["status"] = 200;
        return result;
    }
}
