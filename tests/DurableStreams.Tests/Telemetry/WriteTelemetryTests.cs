using System.Diagnostics;
using DurableStreams.Tests.Integration;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Telemetry;

/// <summary>
/// Spans and metrics of writes against the reference server: a batched append from several callers,
/// an idempotent producer riding over one 503, and a failed create.
/// </summary>
public sealed class WriteTelemetryTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    [Fact]
    public async Task Batched_append_from_several_callers_links_each_callers_span_to_the_shared_post()
    {
        using var capture = new TelemetryCapture();
        var handler = new GatedHandler();
        using var http = new HttpClient(handler) { BaseAddress = fixture.StreamBase };
        using var client = new DurableStreamClient(http, new DurableStreamClientOptions { BaseAddress = fixture.StreamBase });
        var path = ReferenceServerFixture.NewPath("otel-batch");
        var serverPath = fixture.ServerPath(path);
        await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "application/json" });
        var stream = client.GetStream(path, "application/json");

        using var root = TelemetryCapture.TestSource.StartActivity("test-root")!;
        var callers = new List<Activity>();
        var appends = new List<Task<AppendResult>>();
        for (var i = 0; i < 4; i++)
        {
            using var caller = TelemetryCapture.TestSource.StartActivity("caller-" + i)!;
            callers.Add(caller);
            appends.Add(stream.AppendJsonAsync(new Numbered(i), TestJsonContext.Default.Numbered));
            // Our span never stays current in the caller's context.
            Assert.Same(caller, Activity.Current);
            if (i == 0) await handler.Held; // the first POST is on the wire: the next three queue behind it
        }
        handler.Release();
        await Task.WhenAll(appends);
        root.Stop();

        // The append spans end just after their callers resume: wait for all six spans.
        await TelemetryCapture.EventuallyAsync(() => capture.SpansFor(serverPath).Count(s => s.OperationName.StartsWith("send ") || s.OperationName.StartsWith("create ")) == 6, "six spans");
        var spans = capture.SpansFor(serverPath);
        var creates = spans.Where(s => s.OperationName == "create " + serverPath).ToList();
        Assert.Equal(4, creates.Count);
        for (var i = 0; i < 4; i++)
        {
            var create = Assert.Single(creates, c => c.ParentSpanId == callers[i].SpanId);
            Assert.Equal(ActivityKind.Producer, create.Kind);
            Assert.Equal("create", create.Tag("messaging.operation.type"));
            Assert.Equal("durable_streams", create.Tag("messaging.system"));
            Assert.Equal(ActivityStatusCode.Unset, create.Status);
        }

        var sends = spans.Where(s => s.OperationName == "send " + serverPath).ToList();
        var lone = Assert.Single(sends, s => s.Tag("messaging.batch.message_count") is null);
        var shared = Assert.Single(sends, s => s.Tag("messaging.batch.message_count") is 3);
        Assert.Equal(creates.Single(c => c.ParentSpanId == callers[0].SpanId).SpanId, lone.ParentSpanId);
        Assert.Equal(ActivityKind.Client, shared.Kind);
        Assert.Equal("send", shared.Tag("messaging.operation.type"));
        Assert.Equal(serverPath, shared.Tag("messaging.destination.name"));
        Assert.Equal(fixture.StreamBase.Host, shared.Tag("server.address"));
        Assert.Equal(fixture.StreamBase.Port, shared.Tag("server.port"));
        Assert.NotNull(shared.Tag("durable_streams.next_offset"));
        // The shared POST links every append it carried, and nests under the first of them.
        var linked = shared.Links.Select(l => l.Context.SpanId).ToHashSet();
        var carried = creates.Where(c => c.ParentSpanId != callers[0].SpanId).Select(c => c.SpanId).ToList();
        Assert.Equal(3, linked.Count);
        Assert.All(carried, id => Assert.Contains(id, linked));
        Assert.Contains(shared.ParentSpanId, carried);
        // HttpClient's span nests under our POST span.
        var trace = capture.Trace(root.TraceId);
        Assert.Contains(trace, a => a.IsHttpClientSpan() && a.ParentSpanId == shared.SpanId);
        Assert.Contains(trace, a => a.IsHttpClientSpan() && a.ParentSpanId == lone.SpanId);

        Assert.Equal(4, capture.Sum("messaging.client.sent.messages", serverPath));
        Assert.True(capture.Sum("durable_streams.client.sent.bytes", serverPath) > 0);
        var durations = capture.Measurements("messaging.client.operation.duration", serverPath).Where(m => (string?)m.Tag("messaging.operation.name") == "send").ToList();
        Assert.Equal(2, durations.Count);
        Assert.All(durations, m => Assert.True(m.Value > 0 && m.Tag("error.type") is null));
    }

    [Fact]
    public async Task Producer_batch_span_shows_the_503_retry_and_nests_each_attempt()
    {
        using var capture = new TelemetryCapture();
        using var client = fixture.CreateClient();
        var path = ReferenceServerFixture.NewPath("otel-producer");
        var serverPath = fixture.ServerPath(path);
        var stream = await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "text/plain" });
        await fixture.InjectAsync(new Fault(serverPath) { Status = 503, Count = 1, Method = "POST" });

        using var root = TelemetryCapture.TestSource.StartActivity("test-root")!;
        await using (var producer = stream.CreateProducer(new IdempotentProducerOptions { ProducerId = "otel-p1", Linger = TimeSpan.FromMinutes(5) }))
        {
            await producer.AppendAsync("one");
            await producer.AppendAsync("two");
            await producer.AppendAsync("three");
            capture.RecordObservables();
            Assert.Equal(11, capture.Measurements("durable_streams.client.producer.buffered_bytes", serverPath).Last().Value);
            await producer.FlushAsync();
            capture.RecordObservables();
            Assert.Equal(0, capture.Measurements("durable_streams.client.producer.buffered_bytes", serverPath).Last().Value);
            Assert.Equal(0, capture.Measurements("durable_streams.client.producer.batches_in_flight", serverPath).Last().Value);
        }
        root.Stop();

        var batch = Assert.Single(capture.SpansFor(serverPath), s => s.OperationName == "send " + serverPath);
        Assert.Equal(ActivityKind.Producer, batch.Kind);
        Assert.Equal(root.SpanId, batch.ParentSpanId);
        Assert.Equal("otel-p1", batch.Tag("durable_streams.producer.id"));
        Assert.Equal(0L, batch.Tag("durable_streams.producer.epoch"));
        Assert.Equal(0L, batch.Tag("durable_streams.producer.seq"));
        Assert.Equal(3, batch.Tag("messaging.batch.message_count"));
        Assert.Equal(ActivityStatusCode.Unset, batch.Status);
        var retry = Assert.Single(batch.Events, e => e.Name == "durable_streams.retry");
        var retryTags = retry.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("http_503", retryTags["durable_streams.retry.reason"]);
        Assert.Equal(1, retryTags["durable_streams.retry.attempt"]);
        Assert.True((double)retryTags["durable_streams.retry.delay_ms"]! >= 0);
        // Both attempts are HttpClient spans under the one batch span: the 503, then the success.
        var attempts = capture.Trace(root.TraceId).Where(a => a.IsHttpClientSpan() && a.ParentSpanId == batch.SpanId).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Contains(attempts, a => a.GetTagItem("http.response.status_code") is 503);

        Assert.Equal(1, capture.Sum("durable_streams.client.retries", serverPath, m => (string?)m.Tag("durable_streams.retry.reason") == "http_503"));
        Assert.Equal(3, capture.Sum("messaging.client.sent.messages", serverPath));
        Assert.Equal(11, capture.Sum("durable_streams.client.sent.bytes", serverPath));
        // Metric tags never carry producer ids, epochs, sequence numbers or offsets.
        Assert.All(capture.Measurements("messaging.client.sent.messages", serverPath),
            m => Assert.DoesNotContain(m.Tags.Keys, k => k.StartsWith("durable_streams.producer") || k.Contains("offset")));
    }

    [Fact]
    public async Task Failed_create_is_an_error_span_with_its_status_and_a_failed_duration()
    {
        using var capture = new TelemetryCapture();
        using var client = fixture.CreateClient();
        var path = ReferenceServerFixture.NewPath("otel-create");
        var serverPath = fixture.ServerPath(path);
        await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "text/plain" });

        using var root = TelemetryCapture.TestSource.StartActivity("test-root")!;
        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() =>
            client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "application/json" }));
        Assert.Same(root, Activity.Current);
        root.Stop();

        var creates = capture.SpansFor(serverPath).Where(s => s.OperationName == "create_stream " + serverPath).ToList();
        Assert.Equal(2, creates.Count);
        var failed = Assert.Single(creates, s => s.Status == ActivityStatusCode.Error);
        Assert.Equal(root.SpanId, failed.ParentSpanId);
        Assert.Equal(ActivityKind.Client, failed.Kind);
        Assert.Equal("409", failed.Tag("error.type"));
        Assert.Equal(409, failed.Tag("http.response.status_code"));
        Assert.Equal(error.Code.ToString(), failed.Tag("durable_streams.error.code"));
        Assert.Equal("create_stream", failed.Tag("messaging.operation.name"));
        Assert.Null(failed.Tag("messaging.operation.type"));
        Assert.Contains(capture.Trace(root.TraceId), a => a.IsHttpClientSpan() && a.ParentSpanId == failed.SpanId);

        var durations = capture.Measurements("messaging.client.operation.duration", serverPath)
            .Where(m => (string?)m.Tag("messaging.operation.name") == "create_stream").ToList();
        Assert.Equal(2, durations.Count);
        Assert.Single(durations, m => (string?)m.Tag("error.type") == "409");
    }

    [Fact]
    public async Task Head_delete_and_close_have_their_own_spans_under_the_caller()
    {
        using var capture = new TelemetryCapture();
        using var client = fixture.CreateClient(o => o.BatchAppends = false);
        var path = ReferenceServerFixture.NewPath("otel-admin");
        var serverPath = fixture.ServerPath(path);
        var stream = await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "text/plain" });

        using var root = TelemetryCapture.TestSource.StartActivity("test-root")!;
        await stream.AppendAsync("x");
        await stream.HeadAsync();
        await stream.CloseAsync();
        await stream.DeleteAsync();
        Assert.Same(root, Activity.Current);
        root.Stop();

        var spans = capture.SpansFor(serverPath).Where(s => s.ParentSpanId == root.SpanId).ToList();
        var send = Assert.Single(spans, s => s.OperationName == "send " + serverPath);
        Assert.Equal(ActivityKind.Producer, send.Kind); // unbatched: the POST is the message's creation context
        Assert.Equal("send", send.Tag("messaging.operation.type"));
        Assert.Equal(ActivityKind.Client, Assert.Single(spans, s => s.OperationName == "head_stream " + serverPath).Kind);
        var close = Assert.Single(spans, s => s.OperationName == "close_stream " + serverPath);
        Assert.Equal(true, close.Tag("durable_streams.stream.closed"));
        Assert.Single(spans, s => s.OperationName == "delete_stream " + serverPath);
        Assert.All(spans, s => Assert.Equal(ActivityStatusCode.Unset, s.Status));
        Assert.Equal(1, capture.Sum("messaging.client.sent.messages", serverPath));
    }
}
