using System.Text.Json.Nodes;
using DurableStreams.Conformance.Adapter;

namespace DurableStreams.Conformance.RunnerTests;

/// <summary>Drives <see cref="AdapterClient"/> against a scripted fake adapter (node) that misbehaves on request.</summary>
public sealed class AdapterClientTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(500);

    // Replies with its pid and the raw line it got; "hang", "late", "exit" and "garbage" misbehave.
    private const string FakeAdapter = """
        const rl = require('readline').createInterface({ input: process.stdin });
        const reply = (o) => process.stdout.write(JSON.stringify(o) + '\n');
        rl.on('line', (raw) => {
          const cmd = JSON.parse(raw);
          switch (cmd.type) {
            case 'init': return reply({ type: 'init', success: true, pid: process.pid, features: { sse: true } });
            case 'hang': return;
            case 'late': return setTimeout(() => reply({ type: 'late', success: true }), 1500);
            case 'exit': return process.exit(3);
            case 'garbage': return process.stdout.write('not json\n');
            case 'shutdown': reply({ type: 'shutdown', success: true }); return process.exit(0);
            default: return reply({ type: cmd.type, success: true, pid: process.pid, raw, echo: cmd });
          }
        });
        """;

    private static AdapterClient StartFake(List<string> log)
    {
        Assert.SkipWhen(FindNode() is null, "node is not on PATH");
        return new AdapterClient(new AdapterCommandLine("node", ["-e", FakeAdapter]), "http://127.0.0.1:1", line =>
        {
            lock (log)
            {
                log.Add(line);
            }
        });
    }

    private static string? FindNode() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "node.exe" : "node"))
            .FirstOrDefault(File.Exists);

    private static Task<JsonObject> Send(AdapterClient client, string type, JsonObject? extra = null)
    {
        var command = new JsonObject { ["type"] = type };
        foreach (var (key, value) in extra ?? [])
        {
            command[key] = value?.DeepClone();
        }

        return client.SendAsync(command, ShortTimeout, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Sends_init_first_and_keeps_line_separators_out_of_the_wire()
    {
        var log = new List<string>();
        await using var client = StartFake(log);

        var result = await Send(client, "echo", new JsonObject { ["data"] = "a\u2028b\u2029c\u0085d" });

        Assert.True(client.InitResult!["features"]!["sse"]!.GetValue<bool>());
        var raw = result["raw"]!.GetValue<string>();
        Assert.Contains("\\u2028", raw, StringComparison.Ordinal);
        Assert.DoesNotContain('\u2028', raw);
        Assert.Equal("a\u2028b\u2029c\u0085d", result["echo"]!["data"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("hang", "Command timed out after 500ms: hang")]
    [InlineData("exit", "Client adapter exited with code 3")]
    [InlineData("garbage", "Failed to parse client response: not json")]
    public async Task A_failed_command_replaces_the_process_before_the_next_one(string misbehaviour, string expectedMessage)
    {
        var log = new List<string>();
        await using var client = StartFake(log);
        var firstPid = (await Send(client, "echo"))["pid"]!.GetValue<int>();

        var error = await Assert.ThrowsAsync<AdapterFailureException>(() => Send(client, misbehaviour));
        var next = await Send(client, "echo");

        Assert.StartsWith(expectedMessage, error.Message, StringComparison.Ordinal);
        Assert.NotEqual(firstPid, next["pid"]!.GetValue<int>());
        Assert.Equal(next["pid"]!.GetValue<int>(), client.InitResult!["pid"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_late_reply_is_never_taken_as_the_answer_to_the_next_command()
    {
        var log = new List<string>();
        await using var client = StartFake(log);

        await Assert.ThrowsAsync<AdapterFailureException>(() => Send(client, "late"));
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        var next = await Send(client, "echo");

        Assert.Equal("echo", next["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refuses_a_second_command_while_one_is_outstanding()
    {
        var log = new List<string>();
        await using var client = StartFake(log);
        await Send(client, "echo");

        var slow = Send(client, "late");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Send(client, "echo"));
        await Assert.ThrowsAsync<AdapterFailureException>(() => slow);

        Assert.Contains("outstanding", error.Message, StringComparison.Ordinal);
    }
}
