using System.Globalization;
using DurableStreams.Logging;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Reading;

/// <summary>
/// Fast-loop protection. A reader that sends the very same request (same mode, offset and cursor)
/// <see cref="Repeats"/> times within <see cref="Window"/> is being answered by something that does not
/// move it on, typically a CDN or proxy serving a stale cached reply (a real server's answers always
/// advance the offset or the cursor). From then on its requests carry a random cache-busting parameter
/// and it backs off; if the loop is detected <see cref="MaxDetections"/> times for the same request,
/// the read fails with <see cref="DurableStreamErrorCode.ReadLoop"/>. Logged once per loop, not per request.
/// </summary>
internal sealed class FastLoopGuard(TimeProvider time, RetryOptions retry, ILogger logger, Uri url)
{
    public const int Repeats = 5;
    public const int MaxDetections = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    private readonly long[] _sentAt = new long[Repeats];
    private int _next;
    private int _count;
    private int _detections;
    private string? _live;
    private string? _offset;
    private string? _cursor;

    /// <summary>Whether requests currently carry a cache buster.</summary>
    public bool Busting => _detections > 0;

    /// <summary>
    /// Called before every read request; waits out the backoff after a detection and returns the
    /// cache-busting value to add, or <see langword="null"/>.
    /// </summary>
    public async ValueTask<string?> BeforeRequestAsync(string? live, string offset, string? cursor, CancellationToken cancellationToken)
    {
        if (!string.Equals(live, _live, StringComparison.Ordinal) || !string.Equals(offset, _offset, StringComparison.Ordinal)
            || !string.Equals(cursor, _cursor, StringComparison.Ordinal))
        {
            // The reader moved on: whatever loop there was is over.
            _live = live;
            _offset = offset;
            _cursor = cursor;
            _count = 0;
            _detections = 0;
        }

        var now = time.GetTimestamp();
        _sentAt[_next] = now;
        _next = (_next + 1) % Repeats;
        if (++_count >= Repeats && time.GetElapsedTime(_sentAt[_next], now) <= Window)
        {
            _count = 0;
            _detections++;
            if (_detections >= MaxDetections)
            {
                var error = new DurableStreamProtocolException(
                    $"The read of {url.AbsolutePath} kept getting answers that do not move it past offset {offset} " +
                    $"({Repeats} identical requests within {Window.TotalMilliseconds:0} ms, {MaxDetections} times, cache busting included). " +
                    "A cache or proxy is probably serving a stale reply, or the server does not advance.",
                    DurableStreamErrorCode.ReadLoop, null, url, new Offset(offset));
                Log.ReadLoopGaveUp(logger, url.AbsolutePath, offset, error);
                throw error;
            }
            if (_detections == 1) Log.FastLoopDetected(logger, url.AbsolutePath, offset, Repeats, Window.TotalMilliseconds);
            await Task.Delay(Backoff(_detections), time, cancellationToken).ConfigureAwait(false);
        }
        return _detections > 0 ? Random.Shared.NextInt64().ToString("x16", CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Half the exponential step fixed, half random: always a real pause, never a herd.</summary>
    private TimeSpan Backoff(int detection)
    {
        var ceiling = Math.Min(retry.InitialDelay.TotalMilliseconds * Math.Pow(Math.Max(retry.Multiplier, 2), detection), retry.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }
}
