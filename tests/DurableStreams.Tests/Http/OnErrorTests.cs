using System.Net;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Http;

/// <summary>
/// The on-error hook (pitfall D3): offered the final failure, it can supply new headers or
/// parameters to retry with, or return null to let the failure propagate unchanged.
/// </summary>
public sealed class OnErrorTests
{
    private static HttpResponseMessage RequireToken(RecordedRequest request, Func<HttpResponseMessage> ok) =>
        request.Header("Authorization") == "Bearer fresh" ? ok() : Respond.Status(HttpStatusCode.Unauthorized, "token expired");

    [Fact]
    public async Task Headers_returned_by_the_hook_are_used_for_the_retry()
    {
        var handler = new FakeHttpHandler(r => RequireToken(r, () => Respond.Read("", "text/plain", "1_0")));
        var seen = new List<DurableStreamException>();
        using var fake = new FakeClient(handler, o =>
        {
            o.Headers["Authorization"] = "Bearer stale";
            o.OnError = (error, _) =>
            {
                seen.Add(error);
                var recovery = new ErrorRecovery();
                recovery.Headers["Authorization"] = "Bearer fresh";
                return ValueTask.FromResult<ErrorRecovery?>(recovery);
            };
        });

        var metadata = await fake.Client.GetStream("s").HeadAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal("1_0", metadata.Offset);
        Assert.Equal(["Bearer stale", "Bearer fresh"], handler.Requests.Select(r => r.Header("Authorization")));
        var error = Assert.Single(seen);
        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Equal(DurableStreamErrorCode.Unauthorized, error.Code);
    }

    [Fact]
    public async Task A_null_recovery_rethrows_the_original_failure()
    {
        var handler = new FakeHttpHandler(r => Respond.Status(HttpStatusCode.Unauthorized, "no"));
        DurableStreamException? offered = null;
        using var fake = new FakeClient(handler, o => o.OnError = (error, _) =>
        {
            offered = error;
            return ValueTask.FromResult<ErrorRecovery?>(null);
        });

        var thrown = await Assert.ThrowsAnyAsync<DurableStreamException>(() => fake.Client.GetStream("s").HeadAsync().WaitAsync(TestTimeouts.Hang));

        Assert.Same(offered, thrown);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Recoveries_are_capped_by_MaxErrorRecoveries()
    {
        var handler = new FakeHttpHandler(r => Respond.Status(HttpStatusCode.Unauthorized, "never"));
        var calls = 0;
        using var fake = new FakeClient(handler, o =>
        {
            o.MaxErrorRecoveries = 2;
            o.OnError = (_, _) =>
            {
                calls++;
                var recovery = new ErrorRecovery();
                recovery.Headers["Authorization"] = $"Bearer try-{calls}";
                return ValueTask.FromResult<ErrorRecovery?>(recovery);
            };
        });

        await Assert.ThrowsAnyAsync<DurableStreamException>(() => fake.Client.GetStream("s").HeadAsync().WaitAsync(TestTimeouts.Hang));

        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Recovered_headers_and_parameters_stay_for_the_rest_of_a_read_session()
    {
        // The catch-up fails, the hook recovers, and every later long-poll keeps the recovery (D3).
        var polls = 0;
        var handler = new FakeHttpHandler(r => RequireToken(r, () =>
        {
            if (r.IsCatchUp) return Respond.Read("a", "text/plain", "1_1");
            if (r.IsLongPoll && Interlocked.Increment(ref polls) == 1) return Respond.Read("b", "text/plain", "1_2", cursor: "c1");
            if (r.IsLongPoll) return Respond.Read("", "text/plain", "1_2", closed: true);
            return Respond.Unexpected(r);
        }));
        var hookCalls = 0;
        using var fake = new FakeClient(handler, o => o.OnError = (_, _) =>
        {
            hookCalls++;
            var recovery = new ErrorRecovery();
            recovery.Headers["Authorization"] = "Bearer fresh";
            recovery.QueryParameters["tenant"] = "t1";
            recovery.QueryParameters["offset"] = "999"; // reserved: must not replace the session's offset
            return ValueTask.FromResult<ErrorRecovery?>(recovery);
        });

        await using var response = await fake.Client.GetStream("s").ReadAsync(new ReadOptions { Live = LiveMode.LongPoll });
        var text = await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal("ab", text);
        Assert.Equal(1, hookCalls);
        var after = handler.Requests.Skip(1).ToList();
        Assert.Equal(3, after.Count);
        Assert.All(after, r => Assert.Equal("Bearer fresh", r.Header("Authorization")));
        Assert.All(after, r => Assert.Equal("t1", r.Query("tenant")));
        Assert.Equal(["-1", "1_1", "1_2"], after.Select(r => r.Query("offset")));
    }
}
