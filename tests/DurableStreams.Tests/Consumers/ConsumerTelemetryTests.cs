using System.Diagnostics;
using DurableStreams.Consumers;
using DurableStreams.Tests.Integration;
using DurableStreams.Tests.Support;
using DurableStreams.Tests.Telemetry;
using static DurableStreams.Tests.Consumers.ConsumerTestSupport;

namespace DurableStreams.Tests.Consumers;

/// <summary>A <c>process {path}</c> span per handler attempt, current while the handler runs, and messaging.process.duration.</summary>
public sealed class ConsumerTelemetryTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    [Fact]
    public async Task Each_handler_attempt_is_a_consumer_span_with_its_position_and_outcome()
    {
        using var capture = new TelemetryCapture();
        using var client = fixture.CreateClient();
        var stream = await CreateNumberedAsync(client, "otel-consumer", Range(1, 3));
        var serverPath = stream.Url.AbsolutePath;
        var positions = new List<Offset>();
        var currentInHandler = new List<string?>();
        var failedOnce = false;
        var options = Options(new InMemoryCheckpointStore(), name: "otel");

        await new StreamConsumer<Numbered>(stream, (m, _) =>
        {
            currentInHandler.Add(Activity.Current?.OperationName);
            if (m.Data.N == 2 && !failedOnce)
            {
                failedOnce = true;
                throw new InvalidOperationException("once");
            }
            positions.Add(m.Position);
            return ValueTask.CompletedTask;
        }, options).RunAsync().WaitAsync(TestTimeouts.Hang);

        await TelemetryCapture.EventuallyAsync(() => capture.SpansFor(serverPath).Count(s => s.OperationName.StartsWith("process")) == 4, "4 process spans");
        var spans = capture.SpansFor(serverPath).Where(s => s.OperationName.StartsWith("process")).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.All(spans, s =>
        {
            Assert.Equal("process " + serverPath, s.OperationName);
            Assert.Equal(ActivityKind.Consumer, s.Kind);
            Assert.Equal("durable_streams", s.Tag("messaging.system"));
            Assert.Equal("process", s.Tag("messaging.operation.type"));
            Assert.Equal("otel", s.Tag("durable_streams.consumer.name"));
        });
        Assert.All(currentInHandler, name => Assert.Equal("process " + serverPath, name));
        Assert.Equal(ActivityStatusCode.Error, spans[1].Status);
        Assert.Equal("System.InvalidOperationException", spans[1].Tag("error.type"));
        Assert.Equal(1, spans[2].Tag("durable_streams.retry.attempt"));
        Assert.Equal([ActivityStatusCode.Unset, ActivityStatusCode.Unset, ActivityStatusCode.Unset], new[] { spans[0], spans[2], spans[3] }.Select(s => s.Status));
        Assert.Equal(positions.Select(p => p.ToString()), new[] { spans[0], spans[2], spans[3] }.Select(s => (string?)s.Tag("durable_streams.offset")));

        var durations = capture.Measurements("messaging.process.duration", serverPath);
        Assert.Equal(4, durations.Count);
        Assert.Single(durations, d => (string?)d.Tag("error.type") == "System.InvalidOperationException");
    }
}
