namespace DurableStreams.Tests.Telemetry;

/// <summary>Holds the first POST until <see cref="Release"/>, so appends made meanwhile are sure to share the next one.</summary>
internal sealed class GatedHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _posts;

    /// <summary>Completes when the first POST is being held.</summary>
    public Task Held => _held.Task;

    public void Release() => _gate.TrySetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post && Interlocked.Increment(ref _posts) == 1)
        {
            _held.TrySetResult();
            await _gate.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
