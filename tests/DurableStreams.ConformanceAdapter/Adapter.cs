using System.Text.Json;
using System.Text.Json.Nodes;
using DurableStreams.ConformanceAdapter.Commands;
using DurableStreams.ConformanceAdapter.Protocol;

namespace DurableStreams.ConformanceAdapter;

/// <summary>Parses a command line, dispatches it, and turns every outcome into exactly one result.</summary>
internal sealed class Adapter : IAsyncDisposable
{
    private AdapterState? _state;

    public async Task<(JsonObject Result, bool Shutdown)> HandleLineAsync(string line)
    {
        JsonObject command;
        try
        {
            command = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("A command must be a JSON object.");
        }
        catch (JsonException ex)
        {
            return (Results.Error("init", "PARSE_ERROR", $"Could not parse command: {ex.Message}"), false);
        }

        var type = command.String("type") ?? "";
        try
        {
            switch (type)
            {
                case "init":
                    if (_state is not null) await _state.DisposeAsync();
                    _state = new AdapterState(command.RequiredString("serverUrl"));
                    return (Init(), false);
                case "shutdown":
                    return (Results.Success("shutdown"), true);
            }
            if (_state is null) return (Results.Error(type, "INTERNAL_ERROR", "The adapter has not been initialised."), false);
            var result = type switch
            {
                "create" => await StreamCommands.CreateAsync(_state, command),
                "connect" => await StreamCommands.ConnectAsync(_state, command),
                "head" => await StreamCommands.HeadAsync(_state, command),
                "delete" => await StreamCommands.DeleteAsync(_state, command),
                "close" => await StreamCommands.CloseAsync(_state, command),
                "append" => await StreamCommands.AppendAsync(_state, command),
                "read" => await ReadCommand.RunAsync(_state, command),
                "idempotent-append" => await ProducerCommands.AppendAsync(_state, command),
                "idempotent-append-batch" => await ProducerCommands.AppendBatchAsync(_state, command),
                "idempotent-close" => await ProducerCommands.CloseAsync(_state, command),
                "idempotent-detach" => await ProducerCommands.DetachAsync(_state, command),
                "set-dynamic-header" => DynamicCommands.SetHeader(_state, command),
                "set-dynamic-param" => DynamicCommands.SetParam(_state, command),
                "clear-dynamic" => DynamicCommands.Clear(_state),
                "validate" => ValidateCommand.Run(command),
                "benchmark" => await BenchmarkCommand.RunAsync(_state, command),
                _ => Results.Error(type, "NOT_SUPPORTED", $"Unknown command type '{type}'."),
            };
            return (result, false);
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"[adapter] {type} failed: {ex.GetType().Name}: {ex.Message}");
            return (ErrorMapping.ToResult(type, ex), false);
        }
    }

    private static JsonObject Init()
    {
        var result = Results.Success("init");
        result["clientName"] = "DurableStreams (.NET)";
        result["clientVersion"] = typeof(DurableStreamClient).Assembly.GetName().Version?.ToString() ?? "0.0.0";
        result["features"] = new JsonObject
        {
            ["batching"] = true,
            ["sse"] = true,
            ["longPoll"] = true,
            ["auto"] = true,
            ["streaming"] = true,
            ["dynamicHeaders"] = true,
            ["retryOptions"] = true,
            ["batchItems"] = true,
            ["strictZeroValidation"] = true,
        };
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (_state is not null) await _state.DisposeAsync();
    }
}
