using DurableStreams.Server.Storage;
using DurableStreams.Server.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DurableStreams.Server.Tests.Telemetry;

/// <summary>
/// With no listener the per-request telemetry allocates nothing: the classification and every metric call.
/// (Spans can't be checked here: other tests' listeners are process-wide. StartRequest returns at HasListeners.)
/// </summary>
public sealed class NoListenerCostTests
{
    [Fact]
    public void Classifying_a_request_and_recording_metrics_without_listeners_allocates_nothing()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var store = new MemoryStreamStore(TimeProvider.System);
        var metrics = new ServerMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), store);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Headers["Stream-Closed"] = "true";
        context.Request.ContentLength = 0;
        IReadOnlyList<StoredMessage> messages = [new("1", [1, 2, 3], 1)];

        void Run()
        {
            var operation = ServerOperation.Classify(context.Request)!.Value;
            metrics.Stored(context, operation.Name, 3, 30);
            metrics.Served(context, ServerOperation.LiveOff, messages);
            if (metrics.LiveReaderJoined(context, ServerOperation.LiveSse)) metrics.LiveReaderLeft(context, ServerOperation.LiveSse);
            metrics.RequestDone(context, operation, 0, 200, null);
        }

        Run();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) Run();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("close_stream", ServerOperation.Classify(context.Request)!.Value.Name);
        Assert.Equal(0, allocated);
    }
}
