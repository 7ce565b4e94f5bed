using System.Diagnostics;
using System.Text.Json.Nodes;
using DurableStreams.Testing;

namespace DurableStreams.Bench.EndToEnd.Harness;

/// <summary>
/// A client under test in its own long-lived process (the TypeScript client in <c>bench/ts/driver.mjs</c>, the
/// upstream C# client in <c>bench/upstream-dotnet</c>): one JSON command per stdin line and one JSON answer per
/// stdout line, so the process's start-up is never timed.
/// </summary>
internal sealed class ChildDriver : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _label;

    private ChildDriver(Process process, string label)
    {
        _process = process;
        _label = label;
    }

    /// <summary>Starts the node driver, installing <c>bench/ts</c> from its lockfile on first use.</summary>
    public static async Task<ChildDriver> StartTsAsync()
    {
        var directory = Path.Combine(RepositoryRoot.Locate(), "bench", "ts");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "@durable-streams", "client")))
            await RunToolAsync("npm", ["ci", "--no-audit", "--no-fund"], directory, captureOutput: false).ConfigureAwait(false);
        return Start("node", ["driver.mjs"], directory, "TypeScript driver");
    }

    public static ChildDriver Start(string file, IEnumerable<string> arguments, string directory, string label)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        return new ChildDriver(process, label);
    }

    public string Label => _label;

    /// <summary>Runs one command; throws with the driver's error when it reports one.</summary>
    public async Task<JsonObject> RunAsync(JsonObject command)
    {
        await _process.StandardInput.WriteLineAsync(command.ToJsonString()).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false)
            ?? throw new DriverFailedException(_label, $"The {_label} exited.");
        var answer = JsonNode.Parse(line)!.AsObject();
        if (answer["ok"]?.GetValue<bool>() != true)
            throw new DriverFailedException(_label, $"{_label} failed: {answer["error"]}");
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

    /// <summary>Runs a tool to completion; throws on a non-zero exit, with the tail of its output when captured.</summary>
    public static async Task RunToolAsync(string file, IEnumerable<string> arguments, string directory, bool captureOutput)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, UseShellExecute = false, RedirectStandardOutput = captureOutput, RedirectStandardError = captureOutput };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = captureOutput ? Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync()) : Task.FromResult(new[] { "", "" });
        await process.WaitForExitAsync().ConfigureAwait(false);
        var text = string.Concat(await output.ConfigureAwait(false));
        if (process.ExitCode != 0)
        {
            var tail = string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(3));
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} failed in {directory} (exit {process.ExitCode}){(tail.Length > 0 ? ": " + tail : "")}.");
        }
    }
}

/// <summary>A driver reported an error or exited; <see cref="Label"/> says which.</summary>
internal sealed class DriverFailedException(string label, string message) : Exception(message)
{
    public string Label { get; } = label;
}
