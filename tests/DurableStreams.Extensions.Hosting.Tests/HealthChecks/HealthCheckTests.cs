using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DurableStreams.Extensions.Hosting.Tests.HealthChecks;

/// <summary>
/// <c>AddHealthChecks().AddDurableStream(...)</c> and <c>AddDurableStreamsServer(...)</c> run through the
/// framework's <see cref="HealthCheckService"/>, against the reference server (and ports where nothing
/// listens or nothing answers).
/// </summary>
public sealed class HealthCheckTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private static ServiceProvider Build(Uri baseAddress, Action<IHealthChecksBuilder> checks, string? clientName = null, RecordingHandler? recorder = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        void Configure(DurableStreamClientOptions o)
        {
            o.BaseAddress = baseAddress;
            o.Retry.InitialDelay = TimeSpan.FromMilliseconds(10);
        }
        var http = clientName is null ? services.AddDurableStreams(Configure) : services.AddDurableStreams(clientName, Configure);
        if (recorder is not null) http.AddHttpMessageHandler(() => recorder);
        checks(services.AddHealthChecks());
        return services.BuildServiceProvider();
    }

    private static async Task<HealthReportEntry> RunAsync(ServiceProvider provider, string name)
    {
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(Hang);
        return report.Entries[name];
    }

    private async Task<string> CreateStreamAsync()
    {
        var path = ReferenceServerFixture.NewPath("health");
        using var client = new DurableStreamClient(fixture.StreamBase);
        await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "text/plain" });
        return path;
    }

    [Fact]
    public async Task An_existing_stream_is_healthy()
    {
        var path = await CreateStreamAsync();
        using var provider = Build(fixture.StreamBase, h => h.AddDurableStream(path));

        var entry = await RunAsync(provider, "durable-stream:" + path);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(new Uri(fixture.StreamBase, path).AbsolutePath, entry.Data["url"]);
        Assert.Equal(false, entry.Data["closed"]);
        Assert.True(entry.Data.ContainsKey("offset"));
    }

    [Fact]
    public async Task A_missing_stream_is_unhealthy_with_the_reason()
    {
        var path = ReferenceServerFixture.NewPath("missing");
        using var provider = Build(fixture.StreamBase, h => h.AddDurableStream(path, name: "orders"));

        var entry = await RunAsync(provider, "orders");

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("does not exist (404)", entry.Description);
        Assert.IsType<StreamNotFoundException>(entry.Exception);
        Assert.Equal("NotFound", entry.Data["error"]);
        Assert.Equal(404, entry.Data["status"]);
    }

    [Fact]
    public async Task An_unreachable_server_gives_the_failure_status_with_the_reason_after_one_attempt()
    {
        var recorder = new RecordingHandler();
        using var provider = Build(Ports.Dead(), h => h.AddDurableStream("orders", failureStatus: HealthStatus.Degraded, tags: ["ready"]), recorder: recorder);

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready")).WaitAsync(Hang);
        var entry = Assert.Single(report.Entries).Value;

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.StartsWith("The server cannot be reached", entry.Description);
        Assert.IsType<DurableStreamNetworkException>(entry.Exception);
        Assert.Single(recorder.Sent); // a probe does not retry: the client's retry policy is for traffic
    }

    [Fact]
    public async Task A_server_that_never_answers_is_unhealthy_once_the_timeout_passes()
    {
        // Accepts connections and never answers: only the check's own timeout can end the probe.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<Socket>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try { accepted.Add(await silent.AcceptSocketAsync()); }
                catch (Exception) { return; }
            }
        });
        var address = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/v1/stream/");
        using var provider = Build(address, h => h.AddDurableStream("orders", timeout: TimeSpan.FromMilliseconds(300)));

        var entry = await RunAsync(provider, "durable-stream:orders");

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("No answer to HEAD /v1/stream/orders within 0.3 s.", entry.Description);
        Assert.Equal("Timeout", entry.Data["error"]);
        silent.Stop();
        foreach (var socket in accepted) socket.Dispose();
    }

    [Fact]
    public async Task The_server_check_is_healthy_when_the_server_answers_and_uses_the_named_client()
    {
        using var provider = Build(fixture.StreamBase, h => h.AddDurableStreamsServer(clientName: "events"), clientName: "events");

        var entry = await RunAsync(provider, "durable-streams-server:events");

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Contains("The server answered HEAD /v1/stream/", entry.Description);
    }

    [Fact]
    public async Task The_server_check_fails_when_nothing_listens()
    {
        using var provider = Build(Ports.Dead(), h => h.AddDurableStreamsServer());

        var entry = await RunAsync(provider, "durable-streams-server");

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.StartsWith("The server cannot be reached", entry.Description);
    }

    [Fact]
    public async Task A_check_of_a_client_that_is_not_registered_says_so()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDurableStreams(o => o.BaseAddress = fixture.StreamBase);
        services.AddHealthChecks().AddDurableStream("orders", clientName: "nobody");
        using var provider = services.BuildServiceProvider();

        var entry = await RunAsync(provider, "durable-stream:orders");

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("No Durable Streams client named 'nobody' is registered", entry.Description);
    }

    [Fact]
    public async Task What_a_check_reports_carries_no_credentials()
    {
        const string QuerySecret = "hcq5ecret", UrlSecret = "hcu5ecret", HeaderSecret = "hch5ecret", PasswordSecret = "hcp5ecret";
        var existing = await CreateStreamAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDurableStreams(o =>
        {
            o.BaseAddress = fixture.StreamBase;
            o.QueryParameters["token"] = QuerySecret;
            o.Headers["Authorization"] = "Bearer " + HeaderSecret;
        });
        string SecretUrl(string path) =>
            new UriBuilder(new Uri(fixture.StreamBase, path)) { UserName = "app", Password = PasswordSecret, Query = "sig=" + UrlSecret }.Uri.AbsoluteUri;
        services.AddHealthChecks()
            .AddDurableStream(SecretUrl(existing), name: "present")
            .AddDurableStream(SecretUrl(ReferenceServerFixture.NewPath("absent")), name: "absent");
        using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(Hang);

        Assert.Equal(HealthStatus.Healthy, report.Entries["present"].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["absent"].Status);
        foreach (var (name, entry) in report.Entries)
        {
            var text = string.Join('\n', [name, entry.Description ?? "", entry.Exception?.ToString() ?? "",
                .. entry.Data.Select(kv => $"{kv.Key}={kv.Value}")]);
            foreach (var secret in new[] { QuerySecret, UrlSecret, HeaderSecret, PasswordSecret })
                Assert.DoesNotContain(secret, text);
        }
    }
}
