using System.Diagnostics;
using System.Text.Json.Nodes;
using DurableStreams.Testing;

namespace DurableStreams.Bench.EndToEnd.Harness;

/// <summary>
/// The TypeScript client, driven through <c>bench/ts/driver.mjs</c>: one long-lived node process,
/// one JSON command per line and one JSON answer per line, so node's start-up is never timed.
/// </summary>
internal sealed class TsDriver : IAsyncDisposable
{
    private readonly Process _process;

    private TsDriver(Process process) => _process = process;

    public static async Task<TsDriver> StartAsync()
    {
        var directory = Path.Combine(RepositoryRoot.Locate(), "bench", "ts");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "@durable-streams", "client")))
            await RunAsync("npm", "ci --no-audit --no-fund", directory).ConfigureAwait(false);

        var start = new ProcessStartInfo("node", "driver.mjs")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        return new TsDriver(process);
    }

    /// <summary>Runs one command; throws with the driver's error when it reports one.</summary>
    public async Task<JsonObject> RunAsync(JsonObject command)
    {
        await _process.StandardInput.WriteLineAsync(command.ToJsonString()).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The TypeScript driver exited.");
        var answer = JsonNode.Parse(line)!.AsObject();
        if (answer["ok"]?.GetValue<bool>() != true)
            throw new InvalidOperationException($"TypeScript driver failed: {answer["error"]}");
        return answer;
    }

    public async ValueTask DisposeAsync()
    {
        // Closing stdin ends the driver's command loop, and with it the process.
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    private static async Task RunAsync(string file, string arguments, string directory)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, UseShellExecute = false })
            ?? throw new InvalidOperationException($"{file} did not start.");
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed in {directory} (exit {process.ExitCode}).");
    }
}
