using System.Diagnostics;
using DurableStreams.Tests.Integration;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Telemetry;

/// <summary>A catch-up read, then SSE with one reconnect, against the reference server.</summary>
public sealed class ReadTelemetryTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    [Fact]
    public async Task Catch_up_then_sse_with_one_reconnect()
    {
        using var capture = new TelemetryCapture();
        using var http = new HttpClient(new SseCutHandler());
        using var client = new DurableStreamClient(http, new DurableStreamClientOptions { BaseAddress = fixture.StreamBase });
        var path = ReferenceServerFixture.NewPath("otel-sse");
        var serverPath = fixture.ServerPath(path);
        var stream = await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "text/plain" });
        await stream.AppendAsync("ab");

        using var root = TelemetryCapture.TestSource.StartActivity("test-root")!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var text = "";
        Task appended = Task.CompletedTask;
        await using (var response = await stream.ReadAsync(new ReadOptions { Live = LiveMode.Sse }, timeout.Token))
        {
            await foreach (var chunk in response.ReadTextAsync(timeout.Token))
            {
                // The caller's loop body runs with its own activity current, never one of our spans.
                Assert.Same(root, Activity.Current);
                text += chunk;
                if (text == "ab")
                {
                    // Appended once the first connection has been cut, so "c" arrives over the second one.
                    appended = Task.Run(async () =>
                    {
                        await TelemetryCapture.EventuallyAsync(() => capture.Sum("durable_streams.client.sse.reconnects", serverPath) == 1, "the reconnect");
                        await client.GetStream(path, "text/plain").AppendAsync("c");
                    });
                }
                if (text == "abc") break;
            }
        }
        root.Stop();
        await appended;
        Assert.Equal("abc", text);

        var spans = capture.SpansFor(serverPath).Where(s => s.ParentSpanId == root.SpanId).ToList();
        var catchUp = Assert.Single(spans, s => (string?)s.Tag("durable_streams.live_mode") == "catch_up");
        Assert.Equal("receive " + serverPath, catchUp.OperationName);
        Assert.Equal(ActivityKind.Client, catchUp.Kind);
        Assert.Equal("receive", catchUp.Tag("messaging.operation.type"));
        Assert.Equal(true, catchUp.Tag("durable_streams.up_to_date"));
        Assert.NotNull(catchUp.Tag("durable_streams.offset"));
        Assert.NotNull(catchUp.Tag("durable_streams.next_offset"));

        var connections = spans.Where(s => (string?)s.Tag("durable_streams.live_mode") == "sse").OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(2, connections.Count);
        Assert.All(connections, c => Assert.Equal("receive " + serverPath, c.OperationName));
        var ended = Assert.Single(connections[0].Events, e => e.Name == "durable_streams.sse.ended");
        Assert.Equal("server_closed", ended.Tags.Single(t => t.Key == "durable_streams.reconnect.reason").Value);
        // Each connection's HttpClient span nests under the connection's span.
        var trace = capture.Trace(root.TraceId);
        Assert.All(connections, c => Assert.Contains(trace, a => a.IsHttpClientSpan() && a.ParentSpanId == c.SpanId));
        Assert.Contains(trace, a => a.IsHttpClientSpan() && a.ParentSpanId == catchUp.SpanId);

        Assert.Equal(1, capture.Sum("durable_streams.client.sse.reconnects", serverPath, m => (string?)m.Tag("durable_streams.reconnect.reason") == "server_closed"));
        Assert.True(capture.Sum("durable_streams.client.received.bytes", serverPath) >= 3);
        Assert.Equal(0, capture.Sum("durable_streams.client.readers.behind", serverPath));
        Assert.Equal(2, capture.Sum("messaging.client.consumed.messages", serverPath)); // a byte stream: one per delivery
        Assert.Contains(capture.Measurements("messaging.client.operation.duration", serverPath), m => (string?)m.Tag("messaging.operation.name") == "receive");
    }

    [Fact]
    public async Task Long_poll_timeout_and_consumed_json_messages_are_counted()
    {
        using var capture = new TelemetryCapture();
        using var client = fixture.CreateClient();
        var path = ReferenceServerFixture.NewPath("otel-longpoll");
        var serverPath = fixture.ServerPath(path);
        var stream = await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "application/json" });
        await stream.AppendJsonManyAsync([new Numbered(1), new Numbered(2), new Numbered(3)], TestJsonContext.Default.Numbered);

        using var root = TelemetryCapture.TestSource.StartActivity("test-root")!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<int>();
        var appended = Task.CompletedTask;
        await using (var response = await stream.ReadAsync(new ReadOptions { Live = LiveMode.LongPoll }, timeout.Token))
        {
            await foreach (var item in response.ReadJsonAsync(TestJsonContext.Default.Numbered, timeout.Token))
            {
                Assert.Same(root, Activity.Current);
                seen.Add(item.N);
                if (seen.Count == 3)
                    appended = Task.Run(async () =>
                    {
                        // The server's hold (500 ms here) expires once with nothing new, then the fourth message arrives.
                        await TelemetryCapture.EventuallyAsync(() => capture.Sum("durable_streams.client.long_poll.timeouts", serverPath) >= 1, "a long-poll 204");
                        await client.GetStream(path, "application/json").AppendJsonAsync(new Numbered(4), TestJsonContext.Default.Numbered);
                    });
                if (seen.Count == 4) break;
            }
        }
        root.Stop();
        await appended;

        Assert.Equal([1, 2, 3, 4], seen);
        Assert.Equal(4, capture.Sum("messaging.client.consumed.messages", serverPath, m => (string?)m.Tag("messaging.operation.type") == "receive"));
        Assert.True(capture.Sum("durable_streams.client.long_poll.timeouts", serverPath) >= 1);
        Assert.Equal(0, capture.Sum("durable_streams.client.readers.behind", serverPath));
        var polls = capture.SpansFor(serverPath).Where(s => (string?)s.Tag("durable_streams.live_mode") == "long_poll").ToList();
        Assert.Contains(polls, p => p.Tag("http.response.status_code") is 204 && p.Tag("durable_streams.up_to_date") is true);
        Assert.All(polls, p => Assert.Equal(root.SpanId, p.ParentSpanId));
    }
}
