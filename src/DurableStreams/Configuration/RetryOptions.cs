namespace DurableStreams;

/// <summary>
/// Capped exponential backoff with equal jitter, used for every retryable request: reads, HEAD,
/// create, delete, SSE reconnects, close and idempotent writes. The defaults wait about 4.5 to 9 s in
/// total over 7 retries, enough to ride through a typical server restart.
/// </summary>
public sealed class RetryOptions
{
    /// <summary>Retries after the first attempt; 0 disables retrying. Default 7.</summary>
    public int MaxRetries { get; set; } = 7;

    /// <summary>Upper bound of the first backoff. Default 100 ms.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Largest backoff between attempts. Default 3 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Growth factor of the backoff per attempt, at least 1. Default 2.</summary>
    public double Multiplier { get; set; } = 2.0;

    /// <summary>Longest <c>Retry-After</c> honoured; larger values are clamped. Default 5 minutes.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (MaxRetries < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "MaxRetries must be zero or more.");
        if (InitialDelay <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(InitialDelay), InitialDelay, "InitialDelay must be positive.");
        if (MaxDelay < InitialDelay)
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, "MaxDelay must not be less than InitialDelay.");
        if (double.IsNaN(Multiplier) || Multiplier < 1.0)
            throw new ArgumentOutOfRangeException(nameof(Multiplier), Multiplier, "Multiplier must be at least 1.");
        if (MaxRetryAfter < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaxRetryAfter), MaxRetryAfter, "MaxRetryAfter must not be negative.");
    }

    /// <summary>
    /// The backoff before retry number <paramref name="retry"/> (0-based), with equal jitter: random in
    /// [ceiling / 2, ceiling] where ceiling = min(max, initial·multiplier^retry). Half of each wait is
    /// certain, so the total of a budget is bounded from below too (a restart is outlasted, not raced).
    /// </summary>
    internal TimeSpan Backoff(int retry, Random random)
    {
        var ceiling = InitialDelay.TotalMilliseconds * Math.Pow(Multiplier, retry);
        ceiling = Math.Min(ceiling, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ceiling / 2 * (1 + random.NextDouble()));
    }

    internal RetryOptions Clone() => (RetryOptions)MemberwiseClone();
}
