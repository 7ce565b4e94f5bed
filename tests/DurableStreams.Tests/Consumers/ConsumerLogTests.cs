using DurableStreams.Consumers;
using DurableStreams.Tests.Integration;
using DurableStreams.Tests.Logging;
using DurableStreams.Tests.Support;
using Microsoft.Extensions.Logging;
using static DurableStreams.Tests.Consumers.ConsumerTestSupport;

namespace DurableStreams.Tests.Consumers;

/// <summary>Consumers log through the client's logger factory with stable ids and names (docs/logging.md, 201-210).</summary>
public sealed class ConsumerLogTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    [Fact]
    public async Task Logs_start_retries_the_failure_with_its_exception_and_the_checkpoint()
    {
        using var logs = new FakeLogs();
        using var client = fixture.CreateClient(o => o.LoggerFactory = logs);
        var stream = await CreateNumberedAsync(client, "logs", Range(1, 3));
        var options = Options(new InMemoryCheckpointStore());
        options.MaxAttempts = 2;
        var consumer = new StreamConsumer<Numbered>(stream,
            (m, _) => m.Data.N == 2 ? throw new InvalidOperationException("poison") : ValueTask.CompletedTask, options);

        var error = await Assert.ThrowsAsync<StreamConsumerException>(() => consumer.RunAsync().WaitAsync(TestTimeouts.Hang));

        var started = logs.Single(201);
        Assert.Equal("ConsumerStarted", started.Id.Name);
        Assert.Equal("start", started.Field("From"));
        Assert.Equal(consumer.StreamName, started.Field("Stream"));
        Assert.Equal("-1", started.Field("Offset"));

        var retry = logs.Single(203);
        Assert.Equal("HandlerRetrying", retry.Id.Name);
        Assert.Equal(LogLevel.Warning, retry.Level);
        Assert.Equal("1", retry.Field("Attempt"));
        Assert.Equal("poison", retry.Field("Reason"));
        Assert.Null(retry.Exception);

        var failed = logs.Single(205);
        Assert.Equal("ConsumerFailed", failed.Id.Name);
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.Same(error.InnerException, failed.Exception);
        Assert.Equal(error.Checkpoint.ToString(), failed.Field("Checkpoint"));
        Assert.Equal(error.Checkpoint.ToString(), logs.Single(202).Field("Offset")); // saved before the throw
        Assert.Empty(logs.Of(207)); // it failed, it did not stop
    }

    [Fact]
    public async Task Logs_a_resume_from_the_checkpoint_and_the_end_of_a_run()
    {
        using var logs = new FakeLogs();
        using var client = fixture.CreateClient(o => o.LoggerFactory = logs);
        var stream = await CreateNumberedAsync(client, "logs", Range(1, 3));
        var store = new InMemoryCheckpointStore();
        await new StreamConsumer<Numbered>(stream, (_, _) => ValueTask.CompletedTask, Options(store)).RunAsync().WaitAsync(TestTimeouts.Hang);
        await new StreamConsumer<Numbered>(stream, (_, _) => ValueTask.CompletedTask, Options(store)).RunAsync().WaitAsync(TestTimeouts.Hang);

        var starts = logs.Of(201);
        Assert.Equal(["start", "checkpoint"], starts.Select(s => s.Field("From")));
        var stops = logs.Of(207);
        Assert.Equal(["caught up", "caught up"], stops.Select(s => s.Field("Reason")));
        Assert.Equal(["3", "0"], stops.Select(s => s.Field("Handled")));
        Assert.Equal(starts[1].Field("Offset"), stops[0].Field("Checkpoint"));
    }
}
