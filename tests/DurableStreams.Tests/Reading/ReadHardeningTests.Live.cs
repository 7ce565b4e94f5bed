using System.Net;
using DurableStreams.Tests.Support;
using static DurableStreams.Tests.Support.SseScript;

namespace DurableStreams.Tests.Reading;

/// <summary>Live reads ride through outages and expired credentials without the caller restarting anything.</summary>
public sealed partial class ReadHardeningTests
{
    /// <summary>More failures in a row than <see cref="RetryOptions.MaxRetries"/> allows a one-shot call.</summary>
    private const int OutageAttempts = 12;

    private static HttpResponseMessage Refused() =>
        throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (simulated restart)");

    private static HttpResponseMessage Outage(int attempt) =>
        attempt % 3 == 0 ? Refused() : Respond.Status(HttpStatusCode.ServiceUnavailable, "restarting");

    [Fact]
    public async Task A_long_poll_read_rides_through_an_outage_longer_than_the_retry_count()
    {
        var failures = 0;
        var handler = new FakeHttpHandler(r =>
        {
            if (r.IsCatchUp) return Respond.Read("a", "text/plain", "1");
            if (!r.IsLongPoll) return Respond.Unexpected(r);
            if (failures < OutageAttempts) return Outage(failures++);
            return Respond.Read("b", "text/plain", "2", closed: true);
        });
        using var fake = new FakeClient(handler);
        await using var response = await fake.Client.GetStream("s").ReadAsync(Live(LiveMode.LongPoll));

        Assert.Equal("ab", await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang));
        Assert.Equal(OutageAttempts + 1, handler.Requests.Count(r => r.IsLongPoll));
    }

    [Fact]
    public async Task An_SSE_read_rides_through_an_outage_without_duplicates_or_gaps()
    {
        var failures = 0;
        var handler = new FakeHttpHandler(r =>
        {
            if (r.IsCatchUp) return Respond.Read("", "text/plain", "0");
            if (!r.IsSse) return Respond.Unexpected(r);
            if (r.Query("offset") == "0") return Respond.Sse(Data("a") + Control("1", cursor: "c1") + Data("lost")); // then the server goes down
            if (failures < OutageAttempts) return Outage(failures++);
            return Respond.Sse(Data("b") + Control("2", closed: true));
        });
        using var fake = new FakeClient(handler);
        await using var response = await fake.Client.GetStream("s").ReadAsync(Live(LiveMode.Sse));

        Assert.Equal("ab", await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang));
        Assert.All(handler.Requests.Where(r => r.IsSse).Skip(1), r => Assert.Equal("1", r.Query("offset")));
    }

    [Fact]
    public async Task LiveRetryBudget_bounds_how_long_a_live_read_waits_for_the_server()
    {
        var handler = new FakeHttpHandler(r =>
            r.IsCatchUp ? Respond.Read("a", "text/plain", "1")
            : r.IsLongPoll ? Respond.Status(HttpStatusCode.ServiceUnavailable, "down for good")
            : Respond.Unexpected(r));
        using var fake = new FakeClient(handler);
        await using var response = await fake.Client.GetStream("s")
            .ReadAsync(new ReadOptions { Live = LiveMode.LongPoll, LiveRetryBudget = TimeSpan.FromSeconds(1) }); // room for 3 polls on a loaded machine

        var error = await Assert.ThrowsAsync<DurableStreamException>(() => response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang));

        Assert.Equal(DurableStreamErrorCode.ServerError, error.Code);
        Assert.True(handler.Requests.Count(r => r.IsLongPoll) > 2);
    }

    [Fact]
    public async Task The_opening_request_of_a_live_read_keeps_the_bounded_retry_count()
    {
        var handler = new FakeHttpHandler(_ => Respond.Status(HttpStatusCode.ServiceUnavailable, "down"));
        using var fake = new FakeClient(handler);

        var error = await Assert.ThrowsAsync<DurableStreamException>(
            () => fake.Client.GetStream("s").ReadAsync(Live(LiveMode.Sse)).WaitAsync(TestTimeouts.Hang));

        Assert.Equal(DurableStreamErrorCode.ServerError, error.Code);
        Assert.Equal(new RetryOptions().MaxRetries + 1, handler.Requests.Count);
    }

    [Fact]
    public async Task Cancellation_ends_a_live_read_waiting_out_an_outage()
    {
        var handler = new FakeHttpHandler(r => r.IsCatchUp ? Respond.Read("a", "text/plain", "1") : Refused());
        using var fake = new FakeClient(handler);
        using var cts = new CancellationTokenSource();
        await using var response = await fake.Client.GetStream("s").ReadAsync(Live(LiveMode.LongPoll));

        var read = response.ReadAllTextAsync(cts.Token);
        await handler.WaitUntilAsync(rs => rs.Count(r => r.IsLongPoll) > OutageAttempts, "the outage to outlast the retry count");
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TestTimeouts.Hang));
    }

    [Fact]
    public async Task A_token_rotated_while_an_SSE_read_is_live_is_renewed_through_OnError_without_duplicates_or_gaps()
    {
        var valid = "t1";
        var handler = new FakeHttpHandler(r =>
        {
            if (r.Header("Authorization") != $"Bearer {valid}") return Respond.Status(HttpStatusCode.Unauthorized, "token expired");
            if (r.IsCatchUp) return Respond.Read("", "text/plain", "0");
            if (!r.IsSse) return Respond.Unexpected(r);
            if (r.Query("offset") == "0")
            {
                valid = "t2"; // the token expires while this connection is open
                return Respond.Sse(Data("a") + Control("1", cursor: "c1") + Data("uncommitted"));
            }
            return r.Query("offset") == "1" ? Respond.Sse(Data("b") + Control("2", closed: true)) : Respond.Unexpected(r);
        });
        var renewals = 0;
        using var fake = new FakeClient(handler, o =>
        {
            o.Headers["Authorization"] = "Bearer t1";
            o.OnError = (error, _) =>
            {
                if (error.Code != DurableStreamErrorCode.Unauthorized) return ValueTask.FromResult<ErrorRecovery?>(null);
                renewals++;
                var recovery = new ErrorRecovery();
                recovery.Headers["Authorization"] = "Bearer t2";
                return ValueTask.FromResult<ErrorRecovery?>(recovery);
            };
        });
        await using var response = await fake.Client.GetStream("s").ReadAsync(Live(LiveMode.Sse));

        var chunks = new List<string>();
        await foreach (var text in response.ReadTextAsync().WithHangGuard()) chunks.Add(text);

        Assert.Equal(["a", "b"], chunks);
        Assert.Equal(1, renewals);
        var sse = handler.Requests.Where(r => r.IsSse).ToList();
        Assert.Equal(["Bearer t1", "Bearer t1", "Bearer t2"], sse.Select(r => r.Header("Authorization")));
        Assert.Equal(["0", "1", "1"], sse.Select(r => r.Query("offset")));
    }

    [Fact]
    public async Task A_long_poll_body_cut_off_more_often_than_the_retry_count_is_fetched_again_without_duplicates()
    {
        var cuts = 0;
        var handler = new FakeHttpHandler(r =>
        {
            if (r.IsCatchUp) return Respond.Read("a", "text/plain", "1");
            if (!r.IsLongPoll) return Respond.Unexpected(r);
            if (cuts++ < OutageAttempts) return Respond.Read(new StreamContent(new CutStream("bb"u8.ToArray())), "text/plain", "2", cursor: "c1");
            return Respond.Read("bbb", "text/plain", "2", closed: true);
        });
        using var fake = new FakeClient(handler);
        await using var response = await fake.Client.GetStream("s").ReadAsync(Live(LiveMode.LongPoll));

        Assert.Equal("abbb", await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang));
        Assert.All(handler.Requests.Where(r => r.IsLongPoll), r => Assert.Equal("1", r.Query("offset")));
    }

    [Fact]
    public async Task A_body_cut_off_while_checking_an_answer_at_the_tail_is_fetched_again()
    {
        // The answer repeats the offset, so its body is read ahead to make sure it is empty; the first one breaks off.
        var attempts = 0;
        var handler = new FakeHttpHandler(r => r.Query("offset") != "5" ? Respond.Unexpected(r)
            : attempts++ == 0 ? Respond.Read(new StreamContent(new CutStream("["u8.ToArray())), "application/json", "5")
            : Respond.Read("[]", "application/json", "5"));
        using var fake = new FakeClient(handler);
        await using var response = await fake.Client.GetStream("s").ReadAsync(new ReadOptions { Offset = new Offset("5") });

        Assert.Empty(await response.ReadAllJsonAsync(TestJsonContext.Default.JsonElement).WaitAsync(TestTimeouts.Hang));
        Assert.Equal(2, handler.Requests.Count);
    }
}
