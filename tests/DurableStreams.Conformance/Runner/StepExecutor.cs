using System.Text.Json.Nodes;
using DurableStreams.Conformance.Adapter;
using DurableStreams.Conformance.Expectations;
using DurableStreams.Conformance.Http;
using DurableStreams.Conformance.Json;
using DurableStreams.Conformance.Yaml;

namespace DurableStreams.Conformance.Runner;

/// <summary>
/// Carries out single steps: builds and sends adapter commands, performs runner-direct HTTP and
/// runner-local actions, and applies the storage keys. It does not judge results; the
/// <see cref="CaseRunner"/> does.
/// </summary>
internal sealed class StepExecutor
{
    private readonly AdapterClient _adapter;
    private readonly RunnerHttpActions _http;
    private readonly TimeSpan _commandTimeout;
    private readonly VariableTable _variables = new();
    private readonly BackgroundReads _backgroundReads = new();
    private readonly AdapterCommands _commands;
    private CaseLog _log = new();

    public StepExecutor(AdapterClient adapter, RunnerHttpActions http, TimeSpan commandTimeout)
    {
        _adapter = adapter;
        _http = http;
        _commandTimeout = commandTimeout;
        _commands = new AdapterCommands(_variables);
    }

    /// <summary>Starts a case with no variables (background reads were settled by <see cref="EndCaseAsync"/>).</summary>
    public void BeginCase(CaseLog log)
    {
        _log = log;
        _variables.Clear();
    }

    /// <summary>Consumes replies of background reads the case never awaited.</summary>
    public Task EndCaseAsync() => _backgroundReads.AbandonAllAsync(_log);

    public async Task<StepExecution> ExecuteAsync(CaseStep step, CancellationToken cancellationToken)
    {
        switch (step.Action)
        {
            case "create":
                var createPath = step.Has("path")
                    ? _commands.Path(step)
                    : "/test-stream-" + Guid.NewGuid().ToString("D");
                if (JsValues.AsString(step["as"]) is { } createAs)
                {
                    _variables.SetText(createAs, createPath); // stored before sending, whatever the outcome
                }

                return await SendAsync(_commands.Create(step, createPath), cancellationToken).ConfigureAwait(false);

            case "connect" or "head" or "delete":
                var pathResult = await SendAsync(_commands.PathOnly(step), cancellationToken).ConfigureAwait(false);
                if (step.Action == "head" && JsValues.AsString(step.Expect["storeAs"]) is { } storeAs
                    && ResultShape.IsSuccess(pathResult.Result!))
                {
                    _variables.Set(storeAs, pathResult.Result);
                }

                return pathResult;

            case "append":
                var append = await SendAsync(_commands.Append(step), cancellationToken).ConfigureAwait(false);
                StoreOffset(step, append.Result!, "append");
                return append;

            case "append-batch":
                return await AppendBatchAsync(step, cancellationToken).ConfigureAwait(false);

            case "read":
                return await ReadAsync(step, cancellationToken).ConfigureAwait(false);

            case "await":
                return await AwaitAsync(step).ConfigureAwait(false);

            case "close":
                return await SendAsync(_commands.Close(step), cancellationToken).ConfigureAwait(false);

            case "idempotent-append":
                var idempotent = await SendAsync(_commands.IdempotentAppend(step), cancellationToken).ConfigureAwait(false);
                if (JsValues.AsString(step.Expect["storeOffsetAs"]) is { } offsetName
                    && ResultShape.IsSuccessOf(idempotent.Result!, "idempotent-append"))
                {
                    _variables.SetText(offsetName, JsValues.AsString(idempotent.Result!["offset"]) ?? string.Empty);
                }

                return idempotent;

            case "idempotent-append-batch":
                return await SendAsync(_commands.IdempotentAppendBatch(step), cancellationToken).ConfigureAwait(false);
            case "idempotent-close":
                return await SendAsync(_commands.IdempotentClose(step), cancellationToken).ConfigureAwait(false);
            case "idempotent-detach":
                return await SendAsync(_commands.IdempotentDetach(step), cancellationToken).ConfigureAwait(false);
            case "set-dynamic-header":
                return await SendAsync(AdapterCommands.SetDynamicHeader(step), cancellationToken).ConfigureAwait(false);
            case "set-dynamic-param":
                return await SendAsync(AdapterCommands.SetDynamicParam(step), cancellationToken).ConfigureAwait(false);
            case "clear-dynamic":
                return await SendAsync(AdapterCommands.ClearDynamic(), cancellationToken).ConfigureAwait(false);
            case "validate":
                return await SendAsync(AdapterCommands.Validate(step), cancellationToken).ConfigureAwait(false);

            case "server-append":
                var serverAppend = await _http.ServerAppend.ExecuteAsync(
                    _commands.Path(step),
                    _commands.Substitute(JsValues.ToText(step["data"])),
                    step["headers"],
                    step["producerId"],
                    step["producerEpoch"],
                    step["producerSeq"],
                    cancellationToken).ConfigureAwait(false);
                if (JsValues.AsString(step.Expect["storeOffsetAs"]) is { } serverOffsetName
                    && JsValues.AsString(serverAppend.Result!["offset"]) is { Length: > 0 } serverOffset)
                {
                    _variables.SetText(serverOffsetName, serverOffset);
                }

                return Logged(serverAppend);

            case "server-close":
                return Logged(await _http.ServerClose.ExecuteAsync(
                    _commands.Path(step),
                    JsValues.AsString(step["data"]),
                    JsValues.AsString(step["contentType"]),
                    step["headers"],
                    cancellationToken).ConfigureAwait(false));

            case "inject-error":
                var fault = new JsonObject { ["path"] = _commands.Path(step) }.CopyFrom(
                    step, "status", "count", "retryAfter", "delayMs", "jitterMs", "dropConnection",
                    "truncateBodyBytes", "corruptBody", "probability", "method", "injectSseEvent");
                fault["count"] ??= 1;
                Logged(await _http.Faults.InjectAsync(fault, cancellationToken).ConfigureAwait(false));
                return StepExecution.NoResult;

            case "clear-errors":
                Logged(await _http.Faults.ClearAsync(cancellationToken).ConfigureAwait(false));
                return StepExecution.NoResult;

            case "wait":
                var milliseconds = JsValues.TryGetNumber(step["ms"], out var ms) ? ms : 0;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, milliseconds)), cancellationToken).ConfigureAwait(false);
                return StepExecution.NoResult;

            case "set":
                var name = JsValues.AsString(step["name"]) ?? throw new StepFailedException("'set' needs a 'name'.");
                _variables.SetText(name, _commands.Substitute(JsValues.ToText(step["value"])));
                return StepExecution.NoResult;

            case "assert":
                AssertStep.Evaluate(step, _commands.Substitute);
                return StepExecution.NoResult;

            default:
                throw new StepFailedException($"Unknown operation: {step.Action}");
        }
    }

    private async Task<StepExecution> ReadAsync(CaseStep step, CancellationToken cancellationToken)
    {
        var command = _commands.Read(step);
        if (JsValues.IsTruthy(step["background"]) && JsValues.AsString(step["as"]) is { } backgroundName)
        {
            // The reply is collected by `await`; its timeout runs from now, not from the await.
            var completion = SendRawAsync(command, cancellationToken);
            _backgroundReads.Add(new BackgroundReads.PendingRead(backgroundName, step, command, completion));
            return StepExecution.NoResult;
        }

        var read = await SendAsync(command, cancellationToken).ConfigureAwait(false);
        var result = read.Result!;
        if (ResultShape.IsSuccessOf(result, "read"))
        {
            if (JsValues.AsString(step.Expect["storeOffsetAs"]) is { } offsetName)
            {
                _variables.SetOrForget(offsetName, result["offset"], result.ContainsKey("offset") && result["offset"] is not null);
            }

            if (JsValues.AsString(step.Expect["storeDataAs"]) is { } dataName)
            {
                var chunks = result["chunks"] as JsonArray ?? [];
                _variables.SetText(dataName, string.Concat(chunks.Select(chunk => JsValues.ToText(chunk?["data"]))));
            }
        }

        return read;
    }

    private async Task<StepExecution> AwaitAsync(CaseStep step)
    {
        var name = JsValues.ToText(step["ref"]);
        if (!_backgroundReads.TryTake(name, out var pending))
        {
            throw new StepFailedException($"No background operation found with ref: {name}");
        }

        try
        {
            var result = await pending.Completion.ConfigureAwait(false);
            return new StepExecution { Sent = pending.Command, Result = result, ResultFromAdapter = true };
        }
        catch (StepFailedException ex)
        {
            throw new StepFailedException($"background read '{name}' started at {pending.Step} failed: {ex.Message}", pending.Command, ex);
        }
    }

    private async Task<StepExecution> AppendBatchAsync(CaseStep step, CancellationToken cancellationToken)
    {
        // Upstream sends the items one after another, each awaited; nothing runs concurrently.
        var path = _commands.Path(step);
        var items = new List<AdapterExchange>();
        foreach (var item in step["items"] as JsonArray ?? [])
        {
            var command = _commands.AppendBatchItem(step, path, item);
            items.Add(new AdapterExchange(command, await SendRawAsync(command, cancellationToken).ConfigureAwait(false)));
        }

        var allSucceeded = items.All(item => ResultShape.IsSuccess(item.Result));
        var composite = new JsonObject
        {
            ["type"] = "append",
            ["success"] = allSucceeded,
            ["status"] = allSucceeded ? 200 : 207,
        };
        return new StepExecution
        {
            Sent = new JsonObject { ["appends"] = new JsonArray(items.Select(item => (JsonNode?)item.Command.DeepClone()).ToArray()) },
            Result = composite,
            BatchItems = items,
        };
    }

    private void StoreOffset(CaseStep step, JsonObject result, string successType)
    {
        if (JsValues.AsString(step.Expect["storeOffsetAs"]) is { } name && ResultShape.IsSuccessOf(result, successType))
        {
            _variables.SetOrForget(name, result["offset"], result.ContainsKey("offset") && result["offset"] is not null);
        }
    }

    private async Task<StepExecution> SendAsync(JsonObject command, CancellationToken cancellationToken)
    {
        var result = await SendRawAsync(command, cancellationToken).ConfigureAwait(false);
        return new StepExecution { Sent = command, Result = result, ResultFromAdapter = true };
    }

    private async Task<JsonObject> SendRawAsync(JsonObject command, CancellationToken cancellationToken)
    {
        if (_backgroundReads.Outstanding is { } outstanding)
        {
            throw new StepFailedException(
                $"'{JsValues.ToText(command["type"])}' would be sent while background read '{outstanding.Name}' is still running; " +
                "the adapter protocol allows only one outstanding command (await the read first).",
                command);
        }

        _log.Write("→ adapter " + CompactJson.Stringify(command));
        try
        {
            var result = await _adapter.SendAsync(command, _commandTimeout, cancellationToken).ConfigureAwait(false);
            _log.Write("← adapter " + CompactJson.Stringify(result));
            return result;
        }
        catch (AdapterFailureException ex)
        {
            _log.Write("✗ adapter " + ex.Message);
            throw new StepFailedException(ex.Message, command, ex);
        }
    }

    private StepExecution Logged(RunnerHttpResult exchange)
    {
        _log.Write("→ http " + CompactJson.Stringify(exchange.Sent));
        if (exchange.Result is not null)
        {
            _log.Write("← http " + CompactJson.Stringify(exchange.Result));
        }

        return new StepExecution { Sent = exchange.Sent, Result = exchange.Result };
    }
}
