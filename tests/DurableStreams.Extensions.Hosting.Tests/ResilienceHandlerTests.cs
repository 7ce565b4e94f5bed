using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using DurableStreams.Server;

namespace DurableStreams.Extensions.Hosting.Tests;

/// <summary>The client under <c>AddStandardResilienceHandler()</c>, as the docs and Aspire's service defaults set it up.</summary>
public sealed class ResilienceHandlerTests
{
    private static readonly RetryOptions FastRetries = new() { MaxRetries = 3, InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };

    [Fact]
    public async Task Against_a_dead_server_only_the_clients_own_attempts_are_made()
    {
        var recorder = new RecordingHandler();
        var services = new ServiceCollection();
        services.AddDurableStreams(o =>
            {
                o.BaseAddress = Ports.Dead();
                o.Retry = FastRetries;
            })
            .AddStandardResilienceHandler(r => r.Retry.Delay = TimeSpan.FromMilliseconds(1));
        // Added after the resilience handler, so it sits inside it and sees every attempt that reaches the wire.
        services.AddHttpClient(DurableStreamsServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(() => recorder);
        using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<DurableStreamClient>();

        await Assert.ThrowsAsync<DurableStreamNetworkException>(
            () => client.CreateStreamAsync("orders").WaitAsync(TimeSpan.FromSeconds(30)));

        // 1 + MaxRetries; the standard pipeline alone would have made 4 attempts for each of these.
        Assert.Equal(FastRetries.MaxRetries + 1, recorder.Sent.Count);
        Assert.All(recorder.Sent, s => Assert.Equal("create", s.Operation));
    }

    [Fact]
    public async Task A_long_poll_held_longer_than_the_pipelines_timeouts_is_not_cut()
    {
        await using var server = await DurableStreamsServer.StartAsync(new DurableStreamsServerOptions { LongPollTimeout = TimeSpan.FromSeconds(3) });
        var recorder = new RecordingHandler();
        var services = new ServiceCollection();
        services.AddDurableStreams(o => o.BaseAddress = server.BaseAddress)
            .AddStandardResilienceHandler(r =>
            {
                r.AttemptTimeout.Timeout = TimeSpan.FromMilliseconds(500);
                r.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(1);
            });
        services.AddHttpClient(DurableStreamsServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(() => recorder);
        using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<DurableStreamClient>();
        var stream = await client.CreateStreamAsync("held-" + Guid.NewGuid().ToString("N"), new CreateStreamOptions { ContentType = "text/plain" });

        await using var read = await stream.ReadAsync(new ReadOptions { Offset = Offset.Now, Live = LiveMode.LongPoll });
        var appended = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            await stream.AppendAsync("late");
        });
        string? received = null;
        await foreach (var chunk in read.ReadChunksAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token))
        {
            if (chunk.Data.Length == 0) continue;
            received = System.Text.Encoding.UTF8.GetString(chunk.Data.Span);
            break;
        }
        await appended;

        Assert.Equal("late", received);
        var longPolls = recorder.Sent.Where(s => s.Operation == "long-poll").ToList();
        Assert.NotEmpty(longPolls);
        Assert.All(longPolls, p => Assert.Equal("200", p.Outcome));
        // The poll that carried the message was held past both of the pipeline's timeouts.
        Assert.Contains(longPolls, p => p.Duration > TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task Other_requests_keep_the_pipelines_attempt_timeout()
    {
        // Accepts connections and never answers.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var recorder = new RecordingHandler();
        var services = new ServiceCollection();
        services.AddDurableStreams(o =>
            {
                o.BaseAddress = new Uri($"http://127.0.0.1:{port}/v1/stream/");
                o.Retry = new RetryOptions { MaxRetries = 1, InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(1) };
            })
            .AddStandardResilienceHandler(r => r.AttemptTimeout.Timeout = TimeSpan.FromMilliseconds(300));
        services.AddHttpClient(DurableStreamsServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(() => recorder);
        using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<DurableStreamClient>();

        var error = await Assert.ThrowsAsync<DurableStreamNetworkException>(
            () => client.GetStream("silent").HeadAsync().WaitAsync(TimeSpan.FromSeconds(20)));

        // Cut by the pipeline after 300 ms (the client's own limit is 30 s), then retried once by the client.
        Assert.Equal(2, recorder.Sent.Count);
        Assert.All(recorder.Sent, s => Assert.True(s.Duration < TimeSpan.FromSeconds(5), $"attempt took {s.Duration}"));
        Assert.Contains("Timeout", error.InnerException?.GetType().Name);
    }
}
