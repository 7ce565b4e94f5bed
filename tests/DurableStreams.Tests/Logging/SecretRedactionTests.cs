using System.Net;
using System.Text;
using DurableStreams.Tests.Integration;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Logging;

/// <summary>
/// Credentials a client is configured with (a query parameter of the client, one in the stream URL, an
/// Authorization header, a password in the URL's user info) never appear in a log line, a structured
/// log field or a logged exception, through successes, retries and failures of every kind. The real
/// server for what it produces; a fake one for read answers no real server sends.
/// </summary>
public sealed class SecretRedactionTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    private const string ClientQuerySecret = "cqsecret7f3a";
    private const string UrlQuerySecret = "uqsecret91bc";
    private const string HeaderSecret = "hdsecret4d2e";
    private const string PasswordSecret = "pwsecretc0de";
    private static readonly string[] Secrets = [ClientQuerySecret, UrlQuerySecret, HeaderSecret, PasswordSecret];

    private static void WithSecrets(DurableStreamClientOptions options, FakeLogs logs)
    {
        options.LoggerFactory = logs;
        options.QueryParameters["token"] = ClientQuerySecret;
        options.Headers["Authorization"] = "Bearer " + HeaderSecret;
        options.Retry.MaxRetries = 2;
        options.Retry.InitialDelay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(20);
    }

    /// <summary>A stream URL with a password in its user info and a signature in its query string.</summary>
    private static string SecretUrl(Uri streamBase, string path) =>
        new UriBuilder(new Uri(streamBase, path)) { UserName = "app", Password = PasswordSecret, Query = "sig=" + UrlQuerySecret }.Uri.AbsoluteUri;

    [Fact]
    public async Task Secrets_never_reach_the_logs_against_the_real_server()
    {
        using var logs = new FakeLogs();
        var caught = new List<Exception>();
        using var client = new DurableStreamClient(fixture.StreamBase, Configure(logs));

        // Success: create, append, read.
        var path = ReferenceServerFixture.NewPath("secret");
        var stream = client.GetStream(SecretUrl(fixture.StreamBase, path), "text/plain");
        await stream.CreateAsync(new CreateStreamOptions { ContentType = "text/plain" });
        await stream.AppendAsync("a");
        await using (var read = await stream.ReadAsync()) Assert.Equal("a", await read.ReadAllTextAsync());

        // Retries: two 503s, then the append goes through.
        await fixture.InjectAsync(new Fault(fixture.ServerPath(path)) { Status = 503, Count = 2, Method = "POST" });
        await stream.AppendAsync("b");
        Assert.NotEmpty(logs.Of(2));

        // Failures: a missing stream (head, read), a wrong content type, an idempotent producer that fails.
        var missing = client.GetStream(SecretUrl(fixture.StreamBase, ReferenceServerFixture.NewPath("missing")), "text/plain");
        caught.Add(await Assert.ThrowsAsync<StreamNotFoundException>(() => missing.HeadAsync()));
        caught.Add(await Assert.ThrowsAsync<StreamNotFoundException>(() => missing.ReadAsync()));
        var wrongType = client.GetStream(SecretUrl(fixture.StreamBase, path), "application/json");
        caught.Add(await Assert.ThrowsAnyAsync<DurableStreamException>(() => wrongType.AppendAsync("{}")));
        await using (var producer = missing.CreateProducer(new IdempotentProducerOptions { ProducerId = "secret-producer" }))
        {
            await producer.AppendAsync("x");
            caught.Add(await Assert.ThrowsAnyAsync<DurableStreamException>(() => producer.FlushAsync()));
        }

        // Network failures: nothing listens, for a request and for a producer riding out the "outage".
        using var dead = new DurableStreamClient(DeadAddress(), Configure(logs));
        var deadStream = dead.GetStream(SecretUrl(dead.BaseAddress!, "s"), "text/plain");
        caught.Add(await Assert.ThrowsAsync<DurableStreamNetworkException>(() => deadStream.HeadAsync()));
        caught.Add(await Assert.ThrowsAsync<DurableStreamNetworkException>(() => deadStream.ReadAsync()));
        await using (var producer = deadStream.CreateProducer(new IdempotentProducerOptions { ProducerId = "p", OutageRetryTimeout = TimeSpan.FromMilliseconds(100) }))
        {
            await producer.AppendAsync("x");
            caught.Add(await Assert.ThrowsAsync<DurableStreamNetworkException>(() => producer.FlushAsync().WaitAsync(TestTimeouts.Hang)));
        }

        foreach (var id in new[] { 1, 2, 3, 41, 43, 44, 104 }) Assert.True(logs.Of(id).Count > 0, $"event {id} was not exercised:\n{logs.Describe()}");
        Assert.Contains(logs.Of(3), r => r.Exception is DurableStreamNetworkException);
        AssertClean(logs, caught);
    }

    [Fact]
    public async Task Secrets_never_reach_the_logs_for_read_answers_only_a_fake_server_sends()
    {
        using var logs = new FakeLogs();
        var caught = new List<Exception>();
        var requests = 0;
        var handler = new FakeHttpHandler(request =>
        {
            Interlocked.Increment(ref requests);
            var path = request.Uri.AbsolutePath;
            if (path.EndsWith("/violation", StringComparison.Ordinal)) return Respond.Status(HttpStatusCode.OK, "data without an offset");
            if (path.EndsWith("/cut", StringComparison.Ordinal))
                return Respond.Read(new StreamContent(new CutStream(Encoding.UTF8.GetBytes("[1,"))), "application/json", "1_9");
            if (request.IsCatchUp) return Respond.Read("", "text/plain", "0");
            if (request.IsSse) return Respond.Sse(new StreamContent(new CutStream([]))); // breaks off at once
            return Respond.Unexpected(request);
        });
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var options = Configure(logs);
        options.BaseAddress = FakeClient.BaseAddress;
        using var client = new DurableStreamClient(http, options);

        caught.Add(await Assert.ThrowsAsync<DurableStreamProtocolException>(() => client.GetStream(SecretUrl(FakeClient.BaseAddress, "violation")).ReadAsync()));
        await using (var cut = await client.GetStream(SecretUrl(FakeClient.BaseAddress, "cut")).ReadAsync())
            caught.Add(await Assert.ThrowsAsync<DurableStreamNetworkException>(() => cut.ReadAllBytesAsync().WaitAsync(TestTimeouts.Hang)));
        await using (var sse = await client.GetStream(SecretUrl(FakeClient.BaseAddress, "sse")).ReadAsync(new ReadOptions { Live = LiveMode.Sse }))
        {
            // Every connection breaks off at once: reconnects back off, then fall back to long-poll (unscripted: 418).
            caught.Add(await Assert.ThrowsAnyAsync<DurableStreamException>(() => sse.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang)));
        }

        // The secrets were sent: there was something to leak.
        Assert.All(handler.Requests, r =>
        {
            Assert.Equal(ClientQuerySecret, r.Query("token"));
            Assert.Equal(UrlQuerySecret, r.Query("sig"));
            Assert.Equal("Bearer " + HeaderSecret, r.Header("Authorization"));
        });
        foreach (var id in new[] { 3, 6, 8, 9, 103, 104 }) Assert.True(logs.Of(id).Count > 0, $"event {id} was not exercised:\n{logs.Describe()}");
        AssertClean(logs, caught);
    }

    private static DurableStreamClientOptions Configure(FakeLogs logs)
    {
        var options = new DurableStreamClientOptions();
        WithSecrets(options, logs);
        return options;
    }

    private static Uri DeadAddress()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/v1/stream/");
    }

    private static void AssertClean(FakeLogs logs, List<Exception> caught)
    {
        var records = logs.All;
        Assert.NotEmpty(records);
        foreach (var record in records)
        {
            AssertNoSecret(record.Message, $"message of event {record.Id.Id}");
            foreach (var (key, value) in record.StructuredState ?? [])
                AssertNoSecret(key + "=" + value, $"field {key} of event {record.Id.Id}");
            if (record.Exception is { } logged) AssertNoSecret(logged.ToString(), $"exception of event {record.Id.Id}");
        }
        foreach (var error in caught)
        {
            AssertNoSecret(error.ToString(), "exception thrown to the caller");
            if (error is DurableStreamException { Url: { } url })
            {
                Assert.Empty(url.Query);
                Assert.Empty(url.UserInfo);
            }
        }
    }

    private static void AssertNoSecret(string? text, string where)
    {
        if (text is null) return;
        foreach (var secret in Secrets)
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{where} leaks '{secret}': {text}");
    }
}
