namespace DurableStreams.Tests.Support;

/// <summary>
/// A process that dies mid-flush, seen from the server: the first <c>delivered</c> POSTs go through
/// normally, the next <c>unanswered</c> reach the server but their responses are never seen, and
/// nothing after them is sent at all. Requests that are not answered wait until the client is disposed.
/// </summary>
internal sealed class CrashingHandler(int delivered, int unanswered) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _posts;
    private readonly TaskCompletionSource _lastSent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the last POST that reaches the server has been answered by it.</summary>
    public Task Crashed => _lastSent.Task;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Post) return await base.SendAsync(request, cancellationToken);
        var index = Interlocked.Increment(ref _posts);
        if (index <= delivered) return await base.SendAsync(request, cancellationToken);
        if (index <= delivered + unanswered)
        {
            (await base.SendAsync(request, cancellationToken)).Dispose();
            if (index == delivered + unanswered) _lastSent.TrySetResult();
        }
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }
}
