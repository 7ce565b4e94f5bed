namespace DurableStreams.FaultTests.Infrastructure;

/// <summary>Bounds a scenario so nothing hangs the suite: past the deadline its token is cancelled and the test fails.</summary>
public static class HardDeadline
{
    public static async Task RunAsync(TimeSpan limit, string what, Func<CancellationToken, Task> body)
    {
        using var cancel = new CancellationTokenSource();
        var task = body(cancel.Token);
        try
        {
            await task.WaitAsync(limit);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            await cancel.CancelAsync();
            throw new TimeoutException($"{what} did not finish within its hard deadline of {limit.TotalSeconds} s: a hang (seed {FaultSettings.Seed}).");
        }
    }
}
