using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DurableStreams.Server.Tests.Telemetry;

/// <summary>The server's instruments, read from the app's own meter (other tests' servers never mix in).</summary>
public sealed class ServerMetricsTests
{
    private const string Appended = "durable_streams.server.messages.appended";
    private const string Stored = "durable_streams.server.bytes.stored";
    private const string Served = "durable_streams.server.messages.served";
    private const string BytesServed = "durable_streams.server.bytes.served";
    private const string LiveReaders = "durable_streams.server.live_readers";
    private const string Streams = "durable_streams.server.streams";
    private const string Duration = "durable_streams.server.request.duration";

    private static Task<TestApp> StartServerAsync(Action<DurableStreamsServerOptions>? configure = null) => TestApp.StartAsync(
        builder => builder.Services.AddDurableStreamsServer(configure),
        app => { app.UseCors(); app.MapDurableStreams(); });

    [Fact]
    public async Task An_append_of_n_messages_counts_n_messages_and_their_stored_bytes()
    {
        await using var app = await StartServerAsync();
        using var metrics = new MetricCollector(app.App.Services);
        using var http = app.CreateHttpClient();
        var ct = TestContext.Current.CancellationToken;

        await http.PutAsync("/v1/stream/json", new StringContent("", Encoding.UTF8, "application/json"), ct);
        await http.PostAsync("/v1/stream/json", new StringContent("[1, 22, 333]", Encoding.UTF8, "application/json"), ct);
        await http.PutAsync("/v1/stream/text", new StringContent("hello", Encoding.UTF8, "text/plain"), ct);
        await http.PostAsync("/v1/stream/text", new StringContent("world!", Encoding.UTF8, "text/plain"), ct);
        // Rejected and duplicate requests store nothing.
        await http.PostAsync("/v1/stream/missing", new StringContent("x", Encoding.UTF8, "text/plain"), ct);

        Assert.Equal(3 + 1, metrics.Sum(Appended, ("messaging.operation.name", "send")));
        // JSON as stored: "1,22,333," (9 bytes); text as sent.
        Assert.Equal(9 + 6, metrics.Sum(Stored, ("messaging.operation.name", "send")));
        Assert.Equal(1, metrics.Sum(Appended, ("messaging.operation.name", "create_stream")));
        Assert.Equal(5, metrics.Sum(Stored, ("messaging.operation.name", "create_stream")));
        Assert.All(metrics.Of(Appended), m =>
        {
            Assert.Equal(DurableStreamsServerTelemetry.MessagingSystem, m.Tags["messaging.system"]);
            Assert.Equal("/v1/stream/{**streamPath}", m.Tags["messaging.destination.template"]);
            Assert.False(m.Tags.ContainsKey("messaging.destination.name"));
        });
    }

    [Fact]
    public async Task Reads_count_the_messages_and_bytes_they_serve_by_live_mode()
    {
        await using var app = await StartServerAsync(o => o.SseConnectionLifetime = TimeSpan.FromMilliseconds(100));
        using var metrics = new MetricCollector(app.App.Services);
        using var http = app.CreateHttpClient();
        var ct = TestContext.Current.CancellationToken;
        await http.PutAsync("/v1/stream/r", new StringContent("[\"a\",\"b\"]", Encoding.UTF8, "application/json"), ct);

        await http.GetStringAsync("/v1/stream/r?offset=-1", ct);
        await http.GetStringAsync("/v1/stream/r?offset=-1&live=sse", ct);

        Assert.True(await MetricCollector.EventuallyAsync(() => metrics.Sum(Served, ("durable_streams.live_mode", "sse")) == 2));
        Assert.Equal(2, metrics.Sum(Served, ("durable_streams.live_mode", "catch_up")));
        // Stored form "\"a\",\"b\"," is 8 bytes, whatever the framing on the wire.
        Assert.Equal(8, metrics.Sum(BytesServed, ("durable_streams.live_mode", "catch_up")));
        Assert.Equal(8, metrics.Sum(BytesServed, ("durable_streams.live_mode", "sse")));
    }

    [Fact]
    public async Task Sse_and_long_poll_readers_are_counted_while_connected_and_back_to_zero_after()
    {
        await using var app = await StartServerAsync(o =>
        {
            o.LongPollTimeout = TimeSpan.FromSeconds(30);
            o.SseConnectionLifetime = TimeSpan.FromSeconds(30);
        });
        using var metrics = new MetricCollector(app.App.Services);
        using var http = app.CreateHttpClient();
        var ct = TestContext.Current.CancellationToken;
        var created = await http.PutAsync("/v1/stream/live", new StringContent("", Encoding.UTF8, "text/plain"), ct);
        var tail = created.Headers.GetValues("Stream-Next-Offset").Single();
        double Connected(string mode) => metrics.Sum(LiveReaders, ("durable_streams.live_mode", mode));

        using var sseCancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var pollCancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sse = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/stream/live?offset=-1&live=sse"), HttpCompletionOption.ResponseHeadersRead, sseCancel.Token);
        var poll = http.GetAsync($"/v1/stream/live?offset={tail}&live=long-poll", pollCancel.Token);

        Assert.True(await MetricCollector.EventuallyAsync(() => Connected("sse") == 1 && Connected("long_poll") == 1),
            $"sse {Connected("sse")}, long-poll {Connected("long_poll")}");

        // The client leaves both: the server notices, ends them, and counts them out.
        sseCancel.Cancel();
        sse.Dispose();
        pollCancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);
        Assert.True(await MetricCollector.EventuallyAsync(() => Connected("sse") == 0 && Connected("long_poll") == 0),
            $"sse {Connected("sse")}, long-poll {Connected("long_poll")}");
        Assert.Equal(2, metrics.Of(LiveReaders).Count(m => m.Value == -1));
    }

    [Fact]
    public async Task The_stream_count_follows_creates_and_deletes()
    {
        await using var app = await StartServerAsync();
        using var metrics = new MetricCollector(app.App.Services);
        using var http = app.CreateHttpClient();
        var ct = TestContext.Current.CancellationToken;
        double Count()
        {
            metrics.Measurements.Clear();
            metrics.RecordObservables();
            return Assert.Single(metrics.Of(Streams)).Value;
        }

        Assert.Equal(0, Count());
        await http.PutAsync("/v1/stream/a", new StringContent("", Encoding.UTF8, "text/plain"), ct);
        await http.PutAsync("/v1/stream/b", new StringContent("", Encoding.UTF8, "text/plain"), ct);
        await http.PutAsync("/v1/stream/b", new StringContent("", Encoding.UTF8, "text/plain"), ct);
        Assert.Equal(2, Count());
        await http.DeleteAsync("/v1/stream/a", ct);
        Assert.Equal(1, Count());
    }

    [Fact]
    public async Task Request_durations_are_tagged_by_operation_and_failures_by_error_type()
    {
        await using var app = await StartServerAsync();
        using var metrics = new MetricCollector(app.App.Services);
        using var http = app.CreateHttpClient();
        var ct = TestContext.Current.CancellationToken;

        await http.PutAsync("/v1/stream/d", new StringContent("", Encoding.UTF8, "text/plain"), ct);
        var missing = await http.GetAsync("/v1/stream/nothing?offset=-1", ct);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.True(await MetricCollector.EventuallyAsync(() => metrics.Of(Duration).Count == 2));
        var create = Assert.Single(metrics.Of(Duration, ("messaging.operation.name", "create_stream")));
        Assert.False(create.Tags.ContainsKey("error.type"));
        Assert.InRange(create.Value, 0, 60);
        var read = Assert.Single(metrics.Of(Duration, ("messaging.operation.name", "receive")));
        Assert.Equal("404", read.Tags["error.type"]);
        Assert.Equal("catch_up", read.Tags["durable_streams.live_mode"]);
        Assert.Equal("receive", read.Tags["messaging.operation.type"]);
        Assert.Equal("s", metrics.Of(Duration)[0].Instrument.Unit);
    }
}
