namespace DurableStreams.FaultTests.Infrastructure;

/// <summary>
/// How often <see cref="FaultProxy"/> injects each fault, as fractions of requests (they are exclusive: one roll
/// per request). The default is 5% 503, 3% drop after forward, 2% cut body, 2% delay.
/// </summary>
public sealed record FaultMix
{
    /// <summary>503 before forwarding: the server never saw the request.</summary>
    public double Unavailable { get; init; }

    /// <summary>Forwarded and answered, then the connection is closed without the answer: it may well be stored.</summary>
    public double DropAfterForward { get; init; }

    /// <summary>The status and headers are sent, then the body is cut off part way.</summary>
    public double CutBody { get; init; }

    /// <summary>Forwarded after a pause of up to <see cref="MaxDelay"/>.</summary>
    public double Delay { get; init; }

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public static FaultMix Default { get; } = new() { Unavailable = 0.05, DropAfterForward = 0.03, CutBody = 0.02, Delay = 0.02 };

    public static FaultMix None { get; } = new();

    public override string ToString() =>
        $"503 {Unavailable:P0}, drop-after-forward {DropAfterForward:P0}, cut {CutBody:P0}, delay {Delay:P0} (<= {MaxDelay.TotalMilliseconds} ms)";
}

public enum FaultKind { None, Unavailable, DropAfterForward, CutBody, Delay }
