using System.Globalization;

namespace DurableStreams.Server.Protocol;

/// <summary>
/// Live-mode cursors (§10.1): the number of fixed intervals since an epoch; when a client echoes a cursor
/// that is not behind the clock, the answer jumps ahead by random jitter so CDN cache keys never cycle.
/// </summary>
internal sealed class CursorGenerator(TimeProvider clock, TimeSpan interval, DateTimeOffset epoch)
{
    private const int MinJitterSeconds = 1;
    private const int MaxJitterSeconds = 3600;

    public string Next(string? clientCursor)
    {
        var current = (clock.GetUtcNow() - epoch).Ticks / interval.Ticks;
        if (clientCursor is null || !long.TryParse(clientCursor, NumberStyles.None, CultureInfo.InvariantCulture, out var client) || client < current)
            return current.ToString(CultureInfo.InvariantCulture);

        var jitterSeconds = Random.Shared.Next(MinJitterSeconds, MaxJitterSeconds + 1);
        var jitterIntervals = Math.Max(1, (long)Math.Ceiling(jitterSeconds / interval.TotalSeconds));
        return (client + jitterIntervals).ToString(CultureInfo.InvariantCulture);
    }
}
