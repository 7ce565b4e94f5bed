using System.Text;
using DurableStreams.Tests.Support;
using static DurableStreams.Tests.Support.SseScript;

namespace DurableStreams.Tests.Reading;

/// <summary>
/// Cancelling a live read: the caller gets <see cref="OperationCanceledException"/> (not wrapped)
/// while the read is waiting, and the connection is released.
/// </summary>
public sealed class ReadCancellationTests
{
    [Fact]
    public async Task Cancelling_a_pending_long_poll_throws_and_aborts_the_request()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new FakeHttpHandler(async (request, ct) =>
        {
            if (request.IsCatchUp) return Respond.Read("a", "text/plain", "1_1");
            if (!request.IsLongPoll) return Respond.Unexpected(request);
            try
            {
                await Task.Delay(Timeout.Infinite, ct); // the server holds the poll: no data yet
            }
            catch (OperationCanceledException)
            {
                aborted.TrySetResult();
                throw;
            }
            return Respond.Unexpected(request);
        });
        using var fake = new FakeClient(handler);
        using var cts = new CancellationTokenSource();
        await using var response = await fake.Client.GetStream("s").ReadAsync(new ReadOptions { Live = LiveMode.LongPoll });
        await using var chunks = response.ReadChunksAsync(cts.Token).GetAsyncEnumerator();

        Assert.True(await chunks.MoveNextAsync()); // the catch-up
        var next = chunks.MoveNextAsync().AsTask();
        await handler.WaitUntilAsync(r => r.Any(x => x.IsLongPoll), "the long-poll");
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(TestTimeouts.Hang));
        await aborted.Task.WaitAsync(TestTimeouts.Hang);
    }

    [Fact]
    public async Task The_cancellation_exception_carries_the_callers_token()
    {
        // Callers filter with `catch (OperationCanceledException e) when (e.CancellationToken == token)`
        // to tell their own cancellation from a timeout; an internal linked token breaks that.
        var handler = new FakeHttpHandler(async (request, ct) =>
        {
            if (request.IsCatchUp) return Respond.Read("", "text/plain", "1_0");
            await Task.Delay(Timeout.Infinite, ct);
            return Respond.Unexpected(request);
        });
        using var fake = new FakeClient(handler);
        using var cts = new CancellationTokenSource();
        await using var response = await fake.Client.GetStream("s").ReadAsync(new ReadOptions { Live = LiveMode.LongPoll });

        var read = response.ReadAllBytesAsync(cts.Token);
        await handler.WaitUntilAsync(r => r.Any(x => x.IsLongPoll), "the long-poll");
        cts.Cancel();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TestTimeouts.Hang));
        Assert.True(error.CancellationToken == cts.Token, "the exception's CancellationToken is not the one the caller cancelled");
    }

    [Fact]
    public async Task Cancelling_while_a_long_poll_body_streams_throws_and_releases_the_response()
    {
        var body = new HangingStream("partial"u8.ToArray());
        var handler = new FakeHttpHandler(request =>
        {
            if (request.IsCatchUp) return Respond.Read("", "text/plain", "1_0");
            if (request.IsLongPoll) return Respond.Read(new StreamContent(body), "text/plain", "1_7", cursor: "c");
            return Respond.Unexpected(request);
        });
        using var fake = new FakeClient(handler);
        using var cts = new CancellationTokenSource();
        await using var response = await fake.Client.GetStream("s").ReadAsync(new ReadOptions { Live = LiveMode.LongPoll });

        var read = response.ReadAllBytesAsync(cts.Token);
        await body.ReadPending.WaitAsync(TestTimeouts.Hang);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TestTimeouts.Hang));
        await body.Disposed.WaitAsync(TestTimeouts.Hang);
    }

    [Fact]
    public async Task Cancelling_an_idle_sse_connection_throws_and_releases_it()
    {
        var body = new HangingStream(Encoding.UTF8.GetBytes(Data("a") + Control("1_1", cursor: "c", upToDate: true)));
        using var script = new SseScript("text/plain", Respond.Sse(new StreamContent(body)));
        using var cts = new CancellationTokenSource();
        await using var response = await script.OpenAsync();
        var received = new List<string>();

        var read = Task.Run(async () =>
        {
            await foreach (var text in response.ReadTextAsync(cts.Token)) received.Add(text);
        });
        await body.ReadPending.WaitAsync(TestTimeouts.Hang); // "a" delivered, connection idle
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TestTimeouts.Hang));
        await body.Disposed.WaitAsync(TestTimeouts.Hang);
        Assert.Equal(["a"], received);
        Assert.Single(script.SseRequests); // cancelled, not reconnected
    }

    [Fact]
    public async Task A_read_started_with_a_cancelled_token_sends_nothing()
    {
        var handler = new FakeHttpHandler(Respond.Unexpected);
        using var fake = new FakeClient(handler);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fake.Client.GetStream("s").ReadAsync(cancellationToken: new CancellationToken(true)));

        Assert.Empty(handler.Requests);
    }
}
