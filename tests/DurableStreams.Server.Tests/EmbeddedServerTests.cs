using System.Net;
using System.Text;

namespace DurableStreams.Server.Tests;

/// <summary>The in-process server end to end, through the DurableStreams client and raw HTTP.</summary>
public sealed class EmbeddedServerTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private static string NewPath(string name) => $"{name}-{Guid.NewGuid():N}";

    private static async Task<(string Text, StreamResponse Response)> ReadUntilEndAsync(DurableStream stream, LiveMode mode, Func<Task>? onceUpToDate = null)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        var response = await stream.ReadAsync(new ReadOptions { Live = mode }, guard.Token);
        var text = new StringBuilder();
        Task? writing = null;
        await foreach (var chunk in response.ReadChunksAsync(guard.Token))
        {
            text.Append(Encoding.UTF8.GetString(chunk.Data.Span));
            if (chunk.UpToDate && writing is null && onceUpToDate is not null) writing = Task.Run(onceUpToDate);
        }
        if (writing is not null) await writing;
        return (text.ToString(), response);
    }

    [Fact]
    public async Task Created_stream_round_trips_catch_up_reads()
    {
        await using var server = await DurableStreamsServer.StartAsync();
        using var client = new DurableStreamClient(server.BaseAddress);

        var stream = await client.CreateStreamAsync(NewPath("round-trip"), new CreateStreamOptions { ContentType = "text/plain" });
        await stream.AppendAsync("hello ");
        await stream.AppendAsync("world");
        await stream.CloseAsync();

        var (text, response) = await ReadUntilEndAsync(stream, LiveMode.Off);
        await using (response)
        {
            Assert.Equal("hello world", text);
            Assert.True(response.StreamClosed);
        }
    }

    [Theory]
    [InlineData(LiveMode.Sse, "text/plain")]
    [InlineData(LiveMode.Sse, "application/octet-stream")]
    [InlineData(LiveMode.LongPoll, "text/plain")]
    public async Task A_live_reader_gets_later_appends_and_ends_at_close(LiveMode mode, string contentType)
    {
        await using var server = await DurableStreamsServer.StartAsync();
        using var client = new DurableStreamClient(server.BaseAddress);
        var path = NewPath("live");
        var stream = await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = contentType });
        await stream.AppendAsync("a");
        var writer = client.GetStream(path, contentType);

        var (text, response) = await ReadUntilEndAsync(stream, mode, async () =>
        {
            await writer.AppendAsync("b");
            await writer.CloseAsync();
        });

        await using (response)
        {
            Assert.Equal("ab", text);
            Assert.True(response.StreamClosed);
        }
    }

    [Fact]
    public async Task An_idempotent_producer_writes_each_item_once()
    {
        await using var server = await DurableStreamsServer.StartAsync();
        using var client = new DurableStreamClient(server.BaseAddress);
        var stream = await client.CreateStreamAsync(NewPath("producer"), new CreateStreamOptions { ContentType = "text/plain" });

        await using (var producer = stream.CreateProducer(new IdempotentProducerOptions { ProducerId = "writer-1" }))
        {
            foreach (var item in new[] { "1", "2", "3" }) await producer.AppendAsync(item);
            await producer.FlushAsync();
        }

        var (text, response) = await ReadUntilEndAsync(stream, LiveMode.Off);
        await using (response) Assert.Equal("123", text);
    }

    [Fact]
    public async Task The_file_store_keeps_streams_across_server_restarts()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ds-embedded-" + Guid.NewGuid().ToString("N"));
        var options = new DurableStreamsServerOptions { Store = DurableStreamsStoreKind.File, DataDirectory = directory };
        try
        {
            await using (var server = await DurableStreamsServer.StartAsync(options))
            {
                using var client = new DurableStreamClient(server.BaseAddress);
                var stream = await client.CreateStreamAsync("kept", new CreateStreamOptions { ContentType = "text/plain" });
                await stream.AppendAsync("survives");
                await stream.CloseAsync();
            }

            await using (var server = await DurableStreamsServer.StartAsync(options))
            {
                using var client = new DurableStreamClient(server.BaseAddress);
                var (text, response) = await ReadUntilEndAsync(client.GetStream("kept"), LiveMode.Off);
                await using (response)
                {
                    Assert.Equal("survives", text);
                    Assert.True(response.StreamClosed);
                }
            }
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Client_mistakes_get_protocol_statuses_and_security_headers_and_preflights_get_cors()
    {
        await using var server = await DurableStreamsServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var ct = TestContext.Current.CancellationToken;

        var missing = await http.GetAsync("nope", ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("nosniff", missing.Headers.GetValues("X-Content-Type-Options").Single());

        var put = await http.PutAsync("s", new StringContent("", Encoding.UTF8, "text/plain"), ct);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("s?offset=not-an-offset", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("s", new StringContent("", Encoding.UTF8, "text/plain"), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync("s", new StringContent("{}", Encoding.UTF8, "application/json"), ct)).StatusCode);

        using var bothExpiries = new HttpRequestMessage(HttpMethod.Put, "t") { Content = new StringContent("", Encoding.UTF8, "text/plain") };
        bothExpiries.Headers.Add("Stream-TTL", "60");
        bothExpiries.Headers.Add("Stream-Expires-At", "2099-01-01T00:00:00Z");
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(bothExpiries, ct)).StatusCode);

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "s");
        preflight.Headers.Add("Origin", "https://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "if-none-match");
        var cors = await http.SendAsync(preflight, ct);
        Assert.Equal(HttpStatusCode.NoContent, cors.StatusCode);
        Assert.Equal("*", cors.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("if-none-match", cors.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Catch_up_reads_carry_an_etag_that_answers_304_until_the_stream_closes()
    {
        await using var server = await DurableStreamsServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var ct = TestContext.Current.CancellationToken;
        await http.PutAsync("e", new StringContent("data", Encoding.UTF8, "text/plain"), ct);

        var first = await http.GetAsync("e?offset=-1", ct);
        var etag = first.Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, "e?offset=-1");
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(again, ct)).StatusCode);

        using var close = new HttpRequestMessage(HttpMethod.Post, "e");
        close.Headers.Add("Stream-Closed", "true");
        Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(close, ct)).StatusCode);

        using var afterClose = new HttpRequestMessage(HttpMethod.Get, "e?offset=-1");
        afterClose.Headers.IfNoneMatch.Add(etag);
        var response = await http.SendAsync(afterClose, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("true", response.Headers.GetValues("Stream-Closed").Single());
    }

    [Fact]
    public async Task Sse_frames_binary_data_as_base64_and_ends_after_the_configured_lifetime()
    {
        await using var server = await DurableStreamsServer.StartAsync(new DurableStreamsServerOptions { SseConnectionLifetime = TimeSpan.Zero });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var ct = TestContext.Current.CancellationToken;
        using var bytes = new ByteArrayContent([1, 2, 3, 4]);
        bytes.Headers.ContentType = new("application/octet-stream");
        await http.PutAsync("bin", bytes, ct);

        var response = await http.GetAsync("bin?offset=-1&live=sse", ct);
        var body = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("base64", response.Headers.GetValues("Stream-SSE-Data-Encoding").Single());
        Assert.StartsWith("event: data\ndata:AQIDBA==\n\nevent: control\ndata:{\"streamNextOffset\":", body);
        Assert.Contains("\"upToDate\":true", body);
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413()
    {
        await using var server = await DurableStreamsServer.StartAsync(new DurableStreamsServerOptions { MaxRequestBodyBytes = 8 });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var ct = TestContext.Current.CancellationToken;
        await http.PutAsync("small", new StringContent("", Encoding.UTF8, "text/plain"), ct);

        var response = await http.PostAsync("small", new StringContent("more than eight bytes", Encoding.UTF8, "text/plain"), ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Injected_faults_fail_chosen_requests_and_the_client_retries_past_them()
    {
        var options = new DurableStreamsServerOptions { EnableTestFaultInjection = true };
        await using var server = await DurableStreamsServer.StartAsync(options, streamPrefix: "/");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var client = new DurableStreamClient(server.BaseAddress);
        var ct = TestContext.Current.CancellationToken;
        var stream = await client.CreateStreamAsync("faulty", new CreateStreamOptions { ContentType = "text/plain" });
        await stream.AppendAsync("data");

        var armed = await http.PostAsync("/_test/inject-error",
            new StringContent("""{"path":"/faulty","method":"GET","status":503,"count":1}""", Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.OK, armed.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/faulty", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/faulty", ct)).StatusCode);

        await http.PostAsync("/_test/inject-error",
            new StringContent("""{"path":"/faulty","status":500,"count":1}""", Encoding.UTF8, "application/json"), ct);
        var (text, response) = await ReadUntilEndAsync(stream, LiveMode.Off);
        await using (response) Assert.Equal("data", text);

        await http.PostAsync("/_test/inject-error",
            new StringContent("""{"path":"/faulty","truncateBodyBytes":2}""", Encoding.UTF8, "application/json"), ct);
        Assert.Equal("da", await http.GetStringAsync("/faulty", ct));
    }

    [Fact]
    public async Task Fault_injection_is_off_unless_enabled()
    {
        await using var server = await DurableStreamsServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var response = await http.PostAsync("/_test/inject-error",
            new StringContent("""{"path":"/x","status":500}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData(LiveMode.Off)]
    [InlineData(LiveMode.Sse)]
    public async Task Reads_past_the_size_limit_come_in_several_responses(LiveMode mode)
    {
        await using var server = await DurableStreamsServer.StartAsync(new DurableStreamsServerOptions { MaxReadBytes = 1 });
        using var client = new DurableStreamClient(server.BaseAddress);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var path = NewPath("chunked");
        var stream = await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "text/plain" });
        foreach (var part in new[] { "a", "b", "c" }) await stream.AppendAsync(part);
        await stream.CloseAsync();

        var first = await http.GetAsync(path + "?offset=-1", TestContext.Current.CancellationToken);
        Assert.Equal("a", await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.False(first.Headers.Contains("Stream-Up-To-Date"));
        Assert.False(first.Headers.Contains("Stream-Closed"));

        var (text, response) = await ReadUntilEndAsync(stream, mode);
        await using (response)
        {
            Assert.Equal("abc", text);
            Assert.True(response.StreamClosed);
        }
    }

    [Fact]
    public async Task Sse_data_event_and_its_control_event_arrive_in_one_chunk()
    {
        // A reader that stops after the first complete event must not be left holding data without the
        // control event that commits it (the server conformance suite's SSE helper reads this way).
        await using var server = await DurableStreamsServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var ct = TestContext.Current.CancellationToken;
        await http.PutAsync("pair", new StringContent("[{\"a\":1}]", Encoding.UTF8, "application/json"), ct);

        using var response = await http.GetAsync("pair?offset=-1&live=sse", HttpCompletionOption.ResponseHeadersRead, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[64 * 1024];
        var read = await body.ReadAsync(buffer, ct); // a chunked body's read ends at its chunk

        var first = Encoding.UTF8.GetString(buffer, 0, read);
        Assert.StartsWith("event: data\ndata:[{\"a\":1}]\n\n", first);
        Assert.Contains("\n\nevent: control\ndata:{\"streamNextOffset\":", first);
        Assert.EndsWith("}\n\n", first);
    }

    [Fact]
    public async Task Stopping_the_server_ends_open_sse_reads_cleanly()
    {
        var server = await DurableStreamsServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var ct = TestContext.Current.CancellationToken;
        await http.PutAsync("live", new StringContent("x", Encoding.UTF8, "text/plain"), ct);
        var response = await http.GetAsync("live?offset=-1&live=sse", HttpCompletionOption.ResponseHeadersRead, ct);

        await server.DisposeAsync();

        // Without shutdown handling the host would wait out its timeout and then abort the connection mid-body.
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.StartsWith("event: data\ndata:x\n\nevent: control\n", body);
    }
}
