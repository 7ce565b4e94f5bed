using System.Collections.Concurrent;

namespace DurableStreams.Tests.Support;

/// <summary>
/// A fake server whose POSTs can be held until released (to have appends queue behind a POST in
/// flight) and answered by a per-POST outcome. POST numbers are 1-based in arrival order.
/// </summary>
internal sealed class GatedPosts
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _gates = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _aborted = new();
    private int _count;

    public GatedPosts()
    {
        Handler = new FakeHttpHandler(async (request, cancellationToken) =>
        {
            if (!request.IsPost) return Respond.Unexpected(request);
            var n = Interlocked.Increment(ref _count);
            if (_gates.TryGetValue(n, out var gate))
            {
                try
                {
                    await gate.Task.WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Aborted(n).TrySetResult();
                    throw;
                }
            }
            return Outcome(request, n);
        });
    }

    public FakeHttpHandler Handler { get; }

    /// <summary>How POST number n is answered; default 204 at offset <c>off-n</c>.</summary>
    public Func<RecordedRequest, int, HttpResponseMessage> Outcome { get; set; } = (_, n) => Respond.Appended($"off-{n}");

    public IReadOnlyList<RecordedRequest> Posts => Handler.Posts;

    public void Hold(int post) => _gates[post] = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release(int post) => _gates[post].TrySetResult();

    /// <summary>Completes when the client aborts held POST number <paramref name="post"/>.</summary>
    public TaskCompletionSource Aborted(int post) => _aborted.GetOrAdd(post, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    public Task WaitForPostsAsync(int count) =>
        Handler.WaitUntilAsync(r => r.Count(x => x.IsPost) >= count, $"{count} POST(s)");
}
