using System.Diagnostics;
using System.Text;
using System.Text.Json;
using DurableStreams.Testing;

namespace DurableStreams.Tests.Integration.StateInterop;

/// <summary>
/// Runs the Node scripts in <c>tests/reference-server/state-interop</c> (they import the npm packages the reference
/// server's lockfile pins, among them <c>@durable-streams/state</c>) and returns the JSON line each prints.
/// </summary>
internal static class NodeScript
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static string Folder => Path.Combine(RepositoryRoot.Locate(), "tests", "reference-server", "state-interop");

    /// <summary>Runs <c>node script args...</c>; a non-zero exit, a hang or output that is not JSON fails the test with its stderr.</summary>
    public static async Task<JsonElement> RunAsync(string script, params string[] args)
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

        using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        Task<string> stdout = node.StandardOutput.ReadToEndAsync();
        Task<string> stderr = node.StandardError.ReadToEndAsync();
        string command = $"node {script} {string.Join(' ', args)}";
        try
        {
            await node.WaitForExitAsync().WaitAsync(Limit);
        }
        catch (TimeoutException)
        {
            node.Kill(entireProcessTree: true);
            Assert.Fail($"{command} did not finish within {Limit}. stderr:\n{await stderr}");
        }

        string output = await stdout, errors = await stderr;
        if (node.ExitCode != 0)
            Assert.Fail($"{command} exited with code {node.ExitCode}. stderr:\n{errors}\nstdout:\n{output}");
        try
        {
            using var document = JsonDocument.Parse(output);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            Assert.Fail($"{command} printed something that is not JSON ({e.Message}):\n{output}\nstderr:\n{errors}");
            throw;
        }
    }
}
