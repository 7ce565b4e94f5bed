using System.Net;
using DurableStreams.Tests.Support;
using static DurableStreams.Tests.Support.SequenceServer;

namespace DurableStreams.Tests.Http;

/// <summary>
/// Backoff and Retry-After (pitfalls T1-T3), observed through the timers the client creates on a
/// fake clock: every wait is recorded exactly and no test sleeps.
/// </summary>
public sealed class RetryScheduleTests
{
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }

    private static (FakeClient Fake, RecordingTimeProvider Time) Create(SequenceServer server, Action<RetryOptions>? retry = null)
    {
        var time = new RecordingTimeProvider();
        var fake = new FakeClient(server.Handler, o =>
        {
            o.TimeProvider = time;
            o.Retry = new RetryOptions();
            retry?.Invoke(o.Retry);
        });
        return (fake, time);
    }

    private static void LongBackoff(RetryOptions retry)
    {
        retry.MaxRetries = 5;
        retry.InitialDelay = TimeSpan.FromMinutes(10);
        retry.MaxDelay = TimeSpan.FromHours(1);
        retry.Multiplier = 2;
    }

    [Fact]
    public void Backoff_ceiling_grows_by_the_multiplier_and_is_capped_at_MaxDelay()
    {
        var options = new RetryOptions { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), Multiplier = 2 };

        // Equal jitter: the delay is random in [ceiling / 2, ceiling]; a random source at its ends shows both bounds.
        var ceilings = Enumerable.Range(0, 8).Select(i => options.Backoff(i, new FixedRandom(1.0)).TotalMilliseconds);
        var floors = Enumerable.Range(0, 8).Select(i => options.Backoff(i, new FixedRandom(0.0)).TotalMilliseconds);

        Assert.Equal([100, 200, 400, 800, 1000, 1000, 1000, 1000], ceilings.Select(d => Math.Round(d)));
        Assert.Equal([50, 100, 200, 400, 500, 500, 500, 500], floors.Select(d => Math.Round(d)));
    }

    [Fact]
    public void Default_budget_outlasts_a_typical_server_restart()
    {
        var options = new RetryOptions();

        Assert.Equal(7, options.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(3), options.MaxDelay);
        // 100 + 200 + 400 + 800 + 1600 + 3000 + 3000 ms at most, half of that at least.
        double Total(double random) => Enumerable.Range(0, options.MaxRetries).Sum(i => options.Backoff(i, new FixedRandom(random)).TotalMilliseconds);
        Assert.Equal(9100, Math.Round(Total(1.0)));
        Assert.Equal(4550, Math.Round(Total(0.0)));
    }

    [Fact]
    public async Task Every_retry_waits_on_the_client_clock_within_the_capped_exponential_ceiling()
    {
        var server = new SequenceServer(Fail(503), Fail(503), Fail(503), Fail(503), Fail(503), Ok);
        // Minutes, not milliseconds: the jitter is whole milliseconds, so a short ceiling sometimes
        // draws a zero wait (no timer at all); the fake clock makes long waits free.
        var (fake, time) = Create(server, LongBackoff);
        using var _ = fake;

        var delays = await time.RunAsync(fake.Client.GetStream("s").HeadAsync());

        Assert.Equal(6, server.Handler.Requests.Count);
        Assert.Equal(5, delays.Count); // one wait before each retry, all on the injected clock
        double[] ceilings = [10, 20, 40, 60, 60];
        for (var i = 0; i < delays.Count; i++)
            Assert.InRange(delays[i].TotalMinutes, ceilings[i] / 2, ceilings[i]);
    }

    [Fact]
    public async Task Retry_After_seconds_is_waited_in_full()
    {
        var server = new SequenceServer(Fail(503, retryAfter: "7"), Ok);
        var (fake, time) = Create(server);
        using var _ = fake;

        var delays = await time.RunAsync(fake.Client.GetStream("s").HeadAsync());

        Assert.Equal([TimeSpan.FromSeconds(7)], delays);
        Assert.Equal(2, server.Handler.Requests.Count);
    }

    [Fact]
    public async Task Retry_After_http_date_is_measured_on_the_client_clock()
    {
        // The fake clock starts at 2025-01-01T00:00:00Z.
        var server = new SequenceServer(Fail(429, retryAfter: "Wed, 01 Jan 2025 00:00:20 GMT"), Ok);
        var (fake, time) = Create(server);
        using var _ = fake;

        var delays = await time.RunAsync(fake.Client.GetStream("s").HeadAsync());

        Assert.Equal([TimeSpan.FromSeconds(20)], delays);
    }

    [Fact]
    public async Task Retry_After_is_clamped_to_MaxRetryAfter()
    {
        var server = new SequenceServer(Fail(503, retryAfter: "3600"), Ok);
        var (fake, time) = Create(server, r => r.MaxRetryAfter = TimeSpan.FromSeconds(30));
        using var _ = fake;

        var delays = await time.RunAsync(fake.Client.GetStream("s").HeadAsync());

        Assert.Equal([TimeSpan.FromSeconds(30)], delays);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(405)]
    [InlineData(409)]
    [InlineData(410)]
    [InlineData(413)]
    [InlineData(501)]
    public async Task Definite_failures_are_not_retried(int status)
    {
        var server = new SequenceServer(Fail(status), Ok);
        var (fake, time) = Create(server);
        using var _ = fake;

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => time.RunAsync(fake.Client.GetStream("s").HeadAsync()));

        Assert.Equal((HttpStatusCode)status, error.Status);
        Assert.Single(server.Handler.Requests);
        Assert.Empty(time.Delays);
    }

    [Fact]
    public async Task Exhausted_retries_surface_the_last_failure_with_its_status_and_Retry_After()
    {
        var server = new SequenceServer(Fail(500), Fail(503), Fail(429, retryAfter: "2"), Ok);
        var (fake, time) = Create(server, r => { LongBackoff(r); r.MaxRetries = 2; });
        using var _ = fake;

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => time.RunAsync(fake.Client.GetStream("s").HeadAsync()));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.Status);
        Assert.Equal(DurableStreamErrorCode.RateLimited, error.Code);
        Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
        Assert.Equal(3, server.Handler.Requests.Count);
        Assert.Equal(2, time.Delays.Count);
    }

    [Fact]
    public async Task MaxRetries_zero_sends_once()
    {
        var server = new SequenceServer(Fail(503), Ok);
        var (fake, time) = Create(server, r => r.MaxRetries = 0);
        using var _ = fake;

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => time.RunAsync(fake.Client.GetStream("s").HeadAsync()));

        Assert.Equal(DurableStreamErrorCode.ServerError, error.Code);
        Assert.Single(server.Handler.Requests);
    }

    [Fact]
    public async Task Reads_are_retried_like_every_other_idempotent_request()
    {
        var server = new SequenceServer(Fail(502), r => Respond.Read("data", "text/plain", "1_4"));
        var (fake, time) = Create(server);
        using var _ = fake;

        async Task<string> ReadAsync()
        {
            await using var response = await fake.Client.GetStream("s").ReadAsync();
            return await response.ReadAllTextAsync();
        }
        var read = ReadAsync();
        await time.RunAsync(read);

        Assert.Equal("data", await read);
        Assert.Equal(2, server.Handler.Requests.Count);
        Assert.Equal(server.Handler.Requests[0].Uri, server.Handler.Requests[1].Uri); // same offset on the retry
    }
}
