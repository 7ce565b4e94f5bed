using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DurableStreams.Server.Tests.Telemetry;

/// <summary>One span per protocol request, under ASP.NET Core's request activity, with the messaging attributes.</summary>
public sealed class ServerTracingTests
{
    private const string Template = "/v1/stream/{**streamPath}";

    private static object? Tag(Activity span, string name) => span.GetTagItem(name);


    private static Task<TestApp> StartServerAsync() => TestApp.StartAsync(
        builder => builder.Services.AddDurableStreamsServer(),
        app => { app.UseCors(); app.MapDurableStreams(); });

    [Fact]
    public async Task Every_request_gets_a_span_under_the_AspNetCore_request_activity()
    {
        using var spans = new SpanCollector();
        await using var app = await StartServerAsync();
        using var http = app.CreateHttpClient();
        var ct = TestContext.Current.CancellationToken;
        var path = $"/v1/stream/trace-{Guid.NewGuid():N}";

        await http.PutAsync(path, new StringContent("[]", Encoding.UTF8, "application/json"), ct);
        await http.PostAsync(path, new StringContent("[{\"a\":1},{\"a\":2},{\"a\":3}]", Encoding.UTF8, "application/json"), ct);
        await http.GetAsync(path + "?offset=-1", ct);
        await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), ct);
        var close = new HttpRequestMessage(HttpMethod.Post, path);
        close.Headers.Add("Stream-Closed", "true");
        await http.SendAsync(close, ct);
        await http.DeleteAsync(path, ct);

        var all = await spans.WaitForAsync(path, 6);
        Assert.Equal(["create_stream", "send", "receive", "head_stream", "close_stream", "delete_stream"], all.Select(s => (string)Tag(s, "messaging.operation.name")!));
        foreach (var span in all)
        {
            Assert.Equal(DurableStreamsServerTelemetry.MessagingSystem, Tag(span, "messaging.system"));
            Assert.Equal(Template, Tag(span, "messaging.destination.template"));
            Assert.Equal($"{Tag(span, "messaging.operation.name")} {Template}", span.DisplayName);
            Assert.Equal(ActivityKind.Internal, span.Kind);
            Assert.NotNull(span.Parent);
            Assert.Equal("Microsoft.AspNetCore", span.Parent!.Source.Name);
            Assert.Equal(span.Parent.TraceId, span.TraceId);
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
            Assert.Null(Tag(span, "error.type"));
        }

        var append = all[1];
        Assert.Equal("send", Tag(append, "messaging.operation.type"));
        Assert.Equal(3L, Tag(append, "messaging.batch.message_count"));
        Assert.Equal(204, Tag(append, "http.response.status_code"));
        Assert.NotNull(Tag(append, "durable_streams.next_offset"));

        var read = all[2];
        Assert.Equal("receive", Tag(read, "messaging.operation.type"));
        Assert.Equal("catch_up", Tag(read, "durable_streams.live_mode"));
        Assert.Equal("-1", Tag(read, "durable_streams.offset"));
        Assert.Equal(3L, Tag(read, "messaging.batch.message_count"));
        Assert.Equal(Tag(append, "durable_streams.next_offset"), Tag(read, "durable_streams.next_offset"));

        Assert.Equal(true, Tag(all[4], "durable_streams.stream.closed"));
        Assert.Equal("send", Tag(all[4], "messaging.operation.type"));
        Assert.Null(Tag(all[0], "messaging.operation.type"));
    }

    [Fact]
    public async Task A_producer_append_carries_its_id_epoch_and_seq_and_a_fork_its_source()
    {
        using var spans = new SpanCollector();
        await using var app = await StartServerAsync();
        using var http = app.CreateHttpClient();
        var ct = TestContext.Current.CancellationToken;
        var path = $"/v1/stream/producer-{Guid.NewGuid():N}";
        var fork = path + "-fork";

        await http.PutAsync(path, new StringContent("", Encoding.UTF8, "text/plain"), ct);
        var append = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("abc", Encoding.UTF8, "text/plain") };
        append.Headers.Add("Producer-Id", "writer-1");
        append.Headers.Add("Producer-Epoch", "2");
        append.Headers.Add("Producer-Seq", "0");
        await http.SendAsync(append, ct);
        var put = new HttpRequestMessage(HttpMethod.Put, fork);
        put.Headers.Add("Stream-Forked-From", path);
        await http.SendAsync(put, ct);

        var span = (await spans.WaitForAsync(path, 2))[1];
        Assert.Equal("writer-1", Tag(span, "durable_streams.producer.id"));
        Assert.Equal(2L, Tag(span, "durable_streams.producer.epoch"));
        Assert.Equal(0L, Tag(span, "durable_streams.producer.seq"));
        Assert.Equal(1L, Tag(span, "messaging.batch.message_count"));
        Assert.Equal(200, Tag(span, "http.response.status_code"));

        var forkSpan = Assert.Single(await spans.WaitForAsync(fork, 1));
        Assert.Equal("fork_stream", Tag(forkSpan, "messaging.operation.name"));
        Assert.Equal(path, Tag(forkSpan, "durable_streams.fork.source"));
    }

    [Fact]
    public async Task A_rejected_request_is_an_error_span_with_its_status_as_error_type()
    {
        using var spans = new SpanCollector();
        await using var app = await StartServerAsync();
        using var http = app.CreateHttpClient();
        var ct = TestContext.Current.CancellationToken;
        var path = $"/v1/stream/missing-{Guid.NewGuid():N}";

        var response = await http.PostAsync(path, new StringContent("x", Encoding.UTF8, "text/plain"), ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var span = Assert.Single(await spans.WaitForAsync(path, 1));
        Assert.Equal("404", Tag(span, "error.type"));
        Assert.Equal(404, Tag(span, "http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task Live_reads_record_their_mode_and_what_they_delivered()
    {
        using var spans = new SpanCollector();
        await using var app = await TestApp.StartAsync(
            builder => builder.Services.AddDurableStreamsServer(o =>
            {
                o.SseConnectionLifetime = TimeSpan.FromMilliseconds(200);
                o.LongPollTimeout = TimeSpan.FromMilliseconds(100);
            }),
            a => { a.UseCors(); a.MapDurableStreams(); });
        using var http = app.CreateHttpClient();
        var ct = TestContext.Current.CancellationToken;
        var path = $"/v1/stream/live-{Guid.NewGuid():N}";
        await http.PutAsync(path, new StringContent("[1,2]", Encoding.UTF8, "application/json"), ct);

        await http.GetStringAsync(path + "?offset=-1&live=sse", ct);
        var tail = (await http.GetAsync(path + "?offset=-1", ct)).Headers.GetValues("Stream-Next-Offset").Single();
        var poll = await http.GetAsync($"{path}?offset={tail}&live=long-poll", ct);

        Assert.Equal(HttpStatusCode.NoContent, poll.StatusCode);
        var all = await spans.WaitForAsync(path, 4);
        var sse = all[1];
        Assert.Equal("sse", Tag(sse, "durable_streams.live_mode"));
        Assert.Equal(2L, Tag(sse, "messaging.batch.message_count"));
        Assert.Equal(tail, Tag(sse, "durable_streams.next_offset"));
        var longPoll = all[3];
        Assert.Equal("long_poll", Tag(longPoll, "durable_streams.live_mode"));
        Assert.Equal(tail, Tag(longPoll, "durable_streams.offset"));
        Assert.Equal(204, Tag(longPoll, "http.response.status_code"));
        Assert.Null(Tag(longPoll, "messaging.batch.message_count"));
    }

    [Fact]
    public async Task A_span_continues_the_callers_trace()
    {
        using var spans = new SpanCollector();
        await using var app = await StartServerAsync();
        using var http = app.CreateHttpClient();
        var ct = TestContext.Current.CancellationToken;
        var path = $"/v1/stream/parent-{Guid.NewGuid():N}";
        var traceId = ActivityTraceId.CreateRandom();
        var put = new HttpRequestMessage(HttpMethod.Put, path);
        put.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        await http.SendAsync(put, ct);

        var span = Assert.Single(await spans.WaitForAsync(path, 1));
        Assert.Equal(traceId, span.TraceId);
    }
}
