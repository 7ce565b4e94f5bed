using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Writing;

/// <summary>Cancelling an append that is already on the wire.</summary>
public sealed class AppendCancellationTests
{
    [Fact]
    public async Task Unbatched_append_cancelled_mid_request_throws_and_aborts_the_request()
    {
        var server = new GatedPosts();
        server.Hold(1);
        using var fake = new FakeClient(server.Handler, o => o.BatchAppends = false);
        using var cts = new CancellationTokenSource();

        var append = fake.Client.GetStream("s", "text/plain").AppendAsync("x", cancellationToken: cts.Token);
        await server.WaitForPostsAsync(1);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => append.WaitAsync(TestTimeouts.Hang));
        await server.Aborted(1).Task.WaitAsync(TestTimeouts.Hang); // the HTTP request itself was cancelled
    }

    [Fact]
    public async Task Batched_append_cancelled_after_its_post_was_sent_stops_waiting()
    {
        // The shared POST must go on (other callers' data is in it), but the caller who cancelled
        // should not stay blocked until the server answers; the data may still land.
        var server = new GatedPosts();
        server.Hold(1);
        using var fake = new FakeClient(server.Handler);
        var stream = fake.Client.GetStream("s", "text/plain");
        using var cts = new CancellationTokenSource();

        var append = stream.AppendAsync("x", cancellationToken: cts.Token);
        await server.WaitForPostsAsync(1);
        cts.Cancel();

        try
        {
            // A shorter guard than usual: if the wait is not cut short it would otherwise run to the full hang timeout.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => append.WaitAsync(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            server.Release(1);
        }
        Assert.Equal("off-2", (await stream.AppendAsync("y").WaitAsync(TestTimeouts.Hang)).Offset); // handle still usable
    }
}
