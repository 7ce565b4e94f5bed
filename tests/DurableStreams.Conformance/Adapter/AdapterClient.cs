using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableStreams.Conformance.Json;

namespace DurableStreams.Conformance.Adapter;

/// <summary>
/// Talks to the adapter one command at a time and keeps it usable across cases: starts it (and
/// sends <c>init</c>) on first use, and after a timeout, exit or garbled reply replaces it with a
/// fresh process, so that a late answer to an abandoned command can never be taken as the answer
/// to a later one.
/// </summary>
internal sealed class AdapterClient : IAsyncDisposable
{
    public static readonly TimeSpan InitTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ExitCodeWait = TimeSpan.FromSeconds(2);

    private readonly AdapterCommandLine _commandLine;
    private readonly string _serverUrl;
    private AdapterProcess? _process;
    private int _commandInFlight;
    private volatile Action<string> _log;

    public AdapterClient(AdapterCommandLine commandLine, string serverUrl, Action<string> log)
    {
        _commandLine = commandLine;
        _serverUrl = serverUrl;
        _log = log;
    }

    /// <summary>The successful <c>init</c> result of the current adapter process.</summary>
    public JsonObject? InitResult { get; private set; }

    public AdapterCommandLine CommandLine => _commandLine;

    /// <summary>Where stderr lines and restarts are reported; the runner points it at the current case's log.</summary>
    public void RedirectLog(Action<string> log) => _log = log;

    /// <summary>Starts and initialises the adapter unless it is already running; returns the <c>init</c> result.</summary>
    public async Task<JsonObject> EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_process is not null && InitResult is not null)
        {
            return InitResult;
        }

        await RetireAsync("replacing an unusable adapter").ConfigureAwait(false);
        _process = AdapterProcess.Start(_commandLine, line => _log($"[client stderr] {line}"));
        _log($"adapter started (pid {_process.Id}): {_commandLine}");

        var init = new JsonObject { ["type"] = "init", ["serverUrl"] = _serverUrl };
        var result = await ExchangeAsync(_process, init, InitTimeout, cancellationToken).ConfigureAwait(false);
        if (!JsValues.IsTruthy(result["success"]))
        {
            await RetireAsync("init failed").ConfigureAwait(false);
            throw new AdapterFailureException($"The adapter rejected init: {CompactJson.Stringify(result)}");
        }

        InitResult = result;
        return result;
    }

    /// <summary>
    /// Sends one command and returns its result object. Throws <see cref="AdapterFailureException"/>
    /// on timeout, exit or an unparseable reply, after retiring the process.
    /// </summary>
    public async Task<JsonObject> SendAsync(JsonObject command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        return await ExchangeAsync(_process!, command, timeout, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonObject> ExchangeAsync(
        AdapterProcess process, JsonObject command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var commandType = JsValues.ToText(command["type"]);
        if (Interlocked.Exchange(ref _commandInFlight, 1) != 0)
        {
            throw new InvalidOperationException(
                $"Cannot send '{commandType}' while another adapter command is outstanding: the protocol matches replies by order only.");
        }

        try
        {
            foreach (var stray in process.TakeUnsolicitedLines())
            {
                _log($"dropped adapter output received while no command was pending: {stray}");
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            string? line;
            try
            {
                await process.WriteLineAsync(CompactJson.ToProtocolLine(command), deadline.Token).ConfigureAwait(false);
                line = await process.ReadLineAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Either way the command stays unanswered, and its reply must not reach the next one.
                await RetireAsync($"no reply to '{commandType}' within {timeout.TotalMilliseconds} ms").ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                throw new AdapterFailureException(
                    $"Command timed out after {timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms: {commandType} " +
                    "(the adapter was killed and will be restarted for the next command)");
            }
            catch (IOException ex)
            {
                line = null; // stdin broken: the process is gone; report it like an exit.
                _log($"writing to the adapter failed: {ex.Message}");
            }

            if (line is null)
            {
                var exitCode = await process.ExitCodeAsync(ExitCodeWait).ConfigureAwait(false);
                await RetireAsync("adapter exited").ConfigureAwait(false);
                throw new AdapterFailureException(
                    $"Client adapter exited with code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"} " +
                    $"while handling '{commandType}' (it will be restarted for the next command)");
            }

            return ParseResult(line) ?? await FailUnparseableAsync(line).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _commandInFlight, 0);
        }
    }

    private static JsonObject? ParseResult(string line)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<JsonObject> FailUnparseableAsync(string line)
    {
        // The real reply may still come; a fresh process guarantees it is not read as the next answer.
        await RetireAsync("unparseable reply").ConfigureAwait(false);
        throw new AdapterFailureException($"Failed to parse client response: {line}");
    }

    private async Task RetireAsync(string reason)
    {
        var process = _process;
        _process = null;
        InitResult = null;
        if (process is not null)
        {
            _log($"stopping adapter pid {process.Id}: {reason}");
            await process.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends <c>shutdown</c> (errors ignored), then makes sure the process is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        var process = _process;
        if (process is null)
        {
            return;
        }

        try
        {
            await ExchangeAsync(process, new JsonObject { ["type"] = "shutdown" }, ShutdownTimeout, CancellationToken.None)
                .ConfigureAwait(false);
            process.CloseInput();
            await process.ExitCodeAsync(ShutdownTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AdapterFailureException or InvalidOperationException)
        {
            _log($"shutdown: {ex.Message}");
        }

        await RetireAsync("run finished").ConfigureAwait(false);
    }
}
