using DurableStreams.Tests.Support;
using static DurableStreams.Tests.Support.SequenceServer;

namespace DurableStreams.Tests.Http;

/// <summary>
/// Headers and parameters computed per HTTP request (pitfalls D1, T5): every attempt, poll and
/// reconnect builds a fresh request and evaluates the providers again.
/// </summary>
public sealed class DynamicValueTests
{
    [Fact]
    public async Task Dynamic_header_is_evaluated_again_for_every_retry()
    {
        var server = new SequenceServer(Fail(503), Fail(503), Ok);
        var evaluations = 0;
        using var fake = new FakeClient(server.Handler, o =>
            o.Headers["X-Attempt"] = RequestValue.From(() => Interlocked.Increment(ref evaluations).ToString(System.Globalization.CultureInfo.InvariantCulture)));

        await fake.Client.GetStream("s").HeadAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal(["1", "2", "3"], server.Handler.Requests.Select(r => r.Header("X-Attempt")));
    }

    [Fact]
    public async Task Async_provider_is_evaluated_for_every_poll_and_null_omits_the_header()
    {
        var polls = 0;
        var handler = new FakeHttpHandler(r =>
        {
            if (r.IsCatchUp) return Respond.Read("", "text/plain", "1_0");
            return Interlocked.Increment(ref polls) < 3
                ? Respond.Status(System.Net.HttpStatusCode.NoContent, null, ("Stream-Next-Offset", "1_0"), ("Stream-Up-To-Date", "true"), ("Stream-Cursor", $"c{polls}"))
                : Respond.Read("", "text/plain", "1_0", closed: true);
        });
        var n = 0;
        using var fake = new FakeClient(handler, o =>
        {
            o.Headers["X-Token"] = RequestValue.From(async ct =>
            {
                await Task.Yield();
                return $"token-{Interlocked.Increment(ref n)}";
            });
            o.Headers["X-Absent"] = RequestValue.From(() => null);
        });

        await using var response = await fake.Client.GetStream("s").ReadAsync(new ReadOptions { Live = LiveMode.LongPoll });
        await response.ReadAllBytesAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal(["token-1", "token-2", "token-3", "token-4"], handler.Requests.Select(r => r.Header("X-Token")));
        Assert.All(handler.Requests, r => Assert.Null(r.Header("X-Absent")));
        // Each poll echoes the cursor of the previous 204 (R7, R8).
        Assert.Equal([null, null, "c1", "c2"], handler.Requests.Select(r => r.Query("cursor")));
    }

    [Fact]
    public async Task Query_parameters_are_sorted_and_cannot_replace_protocol_parameters()
    {
        var handler = new FakeHttpHandler(r => Respond.Read("", "text/plain", "1_0"));
        using var fake = new FakeClient(handler, o =>
        {
            o.QueryParameters["zeta"] = "z";
            o.QueryParameters["alpha"] = RequestValue.From(() => "a b&c");
            o.QueryParameters["offset"] = "999";
        });

        await using var response = await fake.Client.GetStream("s").ReadAsync();
        await response.ReadAllBytesAsync().WaitAsync(TestTimeouts.Hang);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("a b&c", request.Query("alpha"));
        Assert.Equal("-1", request.Query("offset"));
        var keys = request.Uri.Query.TrimStart('?').Split('&').Select(p => p[..p.IndexOf('=')]).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Equal(["alpha", "offset", "zeta"], keys);
    }
}
