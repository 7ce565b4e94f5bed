namespace DurableStreams.Http;

/// <summary>Decides whether a request that failed in a retryable way gets another attempt.</summary>
internal interface IRetryBudget
{
    /// <summary>Whether retry number <paramref name="retries"/> + 1 may be made.</summary>
    /// <param name="retries">Retries already made in the current streak of failures.</param>
    /// <param name="failingFor">Time since the first failure of the streak.</param>
    bool CanRetry(int retries, TimeSpan failingFor);
}

/// <summary>The budget of one-shot calls: a fixed number of retries (<see cref="RetryOptions.MaxRetries"/>).</summary>
internal sealed class CountRetryBudget(int maxRetries) : IRetryBudget
{
    public bool CanRetry(int retries, TimeSpan failingFor) => retries < maxRetries;
}

/// <summary>
/// The budget of a live read once it has been answered: keep reconnecting through an outage for as
/// long as <paramref name="limit"/> allows, without limit when it is <see langword="null"/>. The
/// caller's cancellation token still ends the wait at any time.
/// </summary>
internal sealed class TimeRetryBudget(TimeSpan? limit) : IRetryBudget
{
    public bool CanRetry(int retries, TimeSpan failingFor) => limit is not { } max || failingFor < max;
}
