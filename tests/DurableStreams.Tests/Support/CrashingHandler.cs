namespace DurableStreams.Tests.Support;

/// <summary>
/// A process that dies mid-flush, seen from the server: the first <c>delivered</c> POSTs go through
/// normally, the next <c>unanswered</c> reach the server but their responses are never seen, and
/// nothing after them is sent at all. Requests that are not answered wait until the client is disposed.
/// </summary>
internal sealed class CrashingHandler(int delivered, int unanswered) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _posts;
    private int _answered;
    private readonly TaskCompletionSource _allSent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once every POST that reaches the server has been answered by it (the server is done with them).</summary>
    public Task Crashed => _allSent.Task;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Post) return await base.SendAsync(request, cancellationToken);
        var index = Interlocked.Increment(ref _posts);
        if (index <= delivered)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Answered();
            return response;
        }
        if (index <= delivered + unanswered)
        {
            (await base.SendAsync(request, cancellationToken)).Dispose();
            Answered();
        }
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }

    // Counted, not the last index: requests in flight together may be answered in any order.
    private void Answered()
    {
        if (Interlocked.Increment(ref _answered) == delivered + unanswered) _allSent.TrySetResult();
    }
}
