using System.Net;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Http;

/// <summary>
/// The per-attempt timeout keeps one spare cancellation source per client, reset after an answered
/// attempt: a request must still time out on its own, a caller's cancellation must still surface
/// with the caller's token, and a source that was cancelled must never be handed to a later attempt.
/// </summary>
public sealed class AttemptTimeoutTests
{
    private static HttpResponseMessage Metadata(RecordedRequest request) =>
        Respond.Status(HttpStatusCode.OK, null, ("Stream-Next-Offset", $"1_{request.Index}"));

    [Fact]
    public async Task An_append_times_out_after_answered_ones_and_the_next_appends_are_answered()
    {
        var handler = new FakeHttpHandler(async (request, ct) =>
        {
            if (request.Index == 3) await Task.Delay(Timeout.Infinite, ct);
            return Respond.Appended($"1_{request.Index}");
        });
        using var fake = new FakeClient(handler, o =>
        {
            o.Retry.MaxRetries = 0;
            o.RequestTimeout = TimeSpan.FromMilliseconds(200);
        });
        var stream = fake.Client.GetStream("s", "text/plain");

        for (var i = 0; i < 3; i++) await stream.AppendAsync("x").WaitAsync(TestTimeouts.Hang);
        var error = await Assert.ThrowsAsync<DurableStreamNetworkException>(() => stream.AppendAsync("x").WaitAsync(TestTimeouts.Hang));
        // A reused source left cancelled would fail these at once, without reaching the handler.
        for (var i = 0; i < 3; i++) await stream.AppendAsync("x").WaitAsync(TestTimeouts.Hang);

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal(7, handler.Posts.Count);
    }

    [Fact]
    public async Task A_caller_cancelling_mid_request_gets_its_own_token_and_later_requests_are_answered()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new FakeHttpHandler(async (request, ct) =>
        {
            if (request.Index == 1)
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }
            return Metadata(request);
        });
        using var fake = new FakeClient(handler, o => o.Retry.MaxRetries = 0);
        var stream = fake.Client.GetStream("s", "text/plain");
        using var caller = new CancellationTokenSource();

        await stream.HeadAsync(caller.Token).WaitAsync(TestTimeouts.Hang);
        var pending = stream.HeadAsync(caller.Token);
        await entered.Task.WaitAsync(TestTimeouts.Hang);
        caller.Cancel();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(TestTimeouts.Hang));
        var after = await stream.HeadAsync(CancellationToken.None).WaitAsync(TestTimeouts.Hang);

        Assert.Equal(caller.Token, error.CancellationToken);
        Assert.Equal(new Offset("1_2"), after.Offset);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task A_request_with_a_cancellable_caller_token_still_times_out_on_its_own()
    {
        var handler = new FakeHttpHandler(async (request, ct) =>
        {
            if (request.Index == 1) await Task.Delay(Timeout.Infinite, ct);
            return Metadata(request);
        });
        using var fake = new FakeClient(handler, o =>
        {
            o.Retry.MaxRetries = 0;
            o.RequestTimeout = TimeSpan.FromMilliseconds(200);
        });
        var stream = fake.Client.GetStream("s", "text/plain");
        using var caller = new CancellationTokenSource();

        await stream.HeadAsync(caller.Token).WaitAsync(TestTimeouts.Hang);
        var error = await Assert.ThrowsAsync<DurableStreamNetworkException>(() => stream.HeadAsync(caller.Token).WaitAsync(TestTimeouts.Hang));
        var after = await stream.HeadAsync(caller.Token).WaitAsync(TestTimeouts.Hang);

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.False(caller.IsCancellationRequested);
        Assert.Equal(new Offset("1_2"), after.Offset);
    }
}
