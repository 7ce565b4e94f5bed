using System.Diagnostics;
using System.Text;
using System.Text.Json;
using DurableStreams.Testing;

namespace DurableStreams.Tests.Integration.StateInterop;

/// <summary>
/// A Node script of <c>tests/reference-server/state-interop</c> (they import the npm packages the reference server's
/// lockfile pins, among them <c>@durable-streams/state</c>) that prints one JSON value per line. A non-zero exit, a
/// hang or a line that is not JSON fails the test with the script's stderr.
/// </summary>
internal sealed class NodeScript : IAsyncDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private readonly Process _node;
    private readonly Task<string> _stderr;
    private readonly string _command;

    private NodeScript(Process node, string command)
    {
        _node = node;
        _command = command;
        _stderr = node.StandardError.ReadToEndAsync();
    }

    public static string Folder => Path.Combine(RepositoryRoot.Locate(), "tests", "reference-server", "state-interop");

    /// <summary>Runs the script to its end and returns the JSON line it printed.</summary>
    public static async Task<JsonElement> RunAsync(string script, params string[] args)
    {
        await using var node = Start(script, args);
        return await node.FinishAsync();
    }

    /// <summary>Starts <c>node script args...</c>.</summary>
    public static NodeScript Start(string script, params string[] args)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(script);
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        return new NodeScript(node, $"node {script} {string.Join(' ', args)}");
    }

    /// <summary>The next line the script prints, as JSON.</summary>
    public async Task<JsonElement> ReadLineAsync()
    {
        string? line = null;
        try
        {
            line = await _node.StandardOutput.ReadLineAsync().WaitAsync(Limit);
        }
        catch (TimeoutException)
        {
            await FailAsync($"printed nothing within {Limit}");
        }
        if (line is null)
        {
            await _node.WaitForExitAsync().WaitAsync(Limit);
            await FailAsync($"ended (exit code {_node.ExitCode}) before printing a line");
        }
        return await ParseAsync(line!);
    }

    /// <summary>Waits for the script to exit with code 0 and returns the (last) line it printed, as JSON.</summary>
    public async Task<JsonElement> FinishAsync()
    {
        Task<string> rest = _node.StandardOutput.ReadToEndAsync();
        try
        {
            await _node.WaitForExitAsync().WaitAsync(Limit);
        }
        catch (TimeoutException)
        {
            _node.Kill(entireProcessTree: true);
            await FailAsync($"did not finish within {Limit}");
        }
        string output = await rest;
        if (_node.ExitCode != 0)
            await FailAsync($"exited with code {_node.ExitCode}; stdout:\n{output}");
        string? last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (last is null)
            await FailAsync("printed nothing");
        return await ParseAsync(last!);
    }

    private async Task<JsonElement> ParseAsync(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            await FailAsync($"printed a line that is not JSON ({e.Message}):\n{line}");
            throw;
        }
    }

    private async Task FailAsync(string what)
    {
        if (!_node.HasExited)
            _node.Kill(entireProcessTree: true);
        string stderr;
        try
        {
            stderr = await _stderr.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            stderr = "<not closed>";
        }
        Assert.Fail($"{_command} {what}. stderr:\n{stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_node.HasExited)
        {
            _node.Kill(entireProcessTree: true);
            await _node.WaitForExitAsync();
        }
        _node.Dispose();
    }
}
