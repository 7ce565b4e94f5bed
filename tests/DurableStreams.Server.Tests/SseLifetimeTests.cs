using System.Text;

namespace DurableStreams.Server.Tests;

/// <summary>
/// How an SSE connection ends when its lifetime runs out: with the control event of its last delivery, never
/// with a burst of repeated control events (a wait of under a millisecond used to end at once and loop).
/// </summary>
public sealed class SseLifetimeTests
{
    /// <summary>The events of one SSE response, in order: (type, data).</summary>
    private static List<(string Type, string Data)> Events(string body)
    {
        var events = new List<(string, string)>();
        foreach (var block in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var type = lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..];
            events.Add((type, string.Join('\n', lines.Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l["data:".Length..]))));
        }
        return events;
    }

    [Fact]
    public async Task A_connection_without_new_data_ends_with_its_one_control_event()
    {
        // Shorter than the heartbeat interval (LongPollTimeout, 20 s), so nothing but the lifetime ends the wait.
        await using var server = await DurableStreamsServer.StartAsync(new DurableStreamsServerOptions { SseConnectionLifetime = TimeSpan.FromMilliseconds(20) });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var ct = TestContext.Current.CancellationToken;
        await http.PutAsync("quiet", new StringContent("[{\"n\":1}]", Encoding.UTF8, "application/json"), ct);

        // Many connections, since the old burst only came when a wait ended within a millisecond of the deadline.
        for (var i = 0; i < 30; i++)
        {
            var events = Events(await http.GetStringAsync("quiet?offset=-1&live=sse", ct));

            Assert.Equal(["data", "control"], events.Select(e => e.Type));
            Assert.Contains("\"upToDate\":true", events[1].Data);
        }
    }

    [Fact]
    public async Task Each_control_event_follows_the_data_it_commits_up_to_the_end_of_the_connection()
    {
        // Appends land while the connection lives and, for the last ones, after it ended: whenever the
        // lifetime runs out, the connection's last event is the control event of its last data event.
        await using var server = await DurableStreamsServer.StartAsync(new DurableStreamsServerOptions { SseConnectionLifetime = TimeSpan.FromMilliseconds(300) });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var ct = TestContext.Current.CancellationToken;
        await http.PutAsync("busy", new StringContent("", Encoding.UTF8, "text/plain"), ct);

        var reading = http.GetStringAsync("busy?offset=-1&live=sse", ct);
        for (var i = 0; i < 40 && !reading.IsCompleted; i++)
        {
            await http.PostAsync("busy", new StringContent($"m{i};", Encoding.UTF8, "text/plain"), ct);
            await Task.Delay(10, ct);
        }
        var events = Events(await reading);

        // Maybe the control event of the still empty stream first, then data and control in turn: never two
        // control events in a row, and a control event last.
        var types = events.Select(e => e.Type).ToList();
        var trace = string.Join(" ", types);
        var first = types[0] == "control" ? 1 : 0;
        Assert.True(types.Count > first && (types.Count - first) % 2 == 0, trace);
        for (var i = first; i < types.Count; i += 2)
        {
            Assert.True(types[i] == "data" && types[i + 1] == "control", trace);
        }
    }

    [Fact]
    public async Task Heartbeats_within_the_lifetime_come_once_per_long_poll_timeout_at_most()
    {
        // 100 ms of lifetime with a 40 ms heartbeat: the first control event and at most two heartbeats,
        // whatever the scheduling (each heartbeat needs a full 40 ms wait first).
        await using var server = await DurableStreamsServer.StartAsync(new DurableStreamsServerOptions
        {
            SseConnectionLifetime = TimeSpan.FromMilliseconds(100),
            LongPollTimeout = TimeSpan.FromMilliseconds(40),
        });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var ct = TestContext.Current.CancellationToken;
        await http.PutAsync("beat", new StringContent("", Encoding.UTF8, "text/plain"), ct);

        for (var i = 0; i < 10; i++)
        {
            var events = Events(await http.GetStringAsync("beat?offset=-1&live=sse", ct));

            Assert.All(events, e => Assert.Equal("control", e.Type));
            Assert.InRange(events.Count, 1, 3);
        }
    }
}
