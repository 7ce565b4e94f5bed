using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace DurableStreams.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also reports every timer the client creates (a backoff
/// wait is one timer), so a test can read the exact delay chosen and then advance the clock by it
/// without racing the timer's creation.
/// </summary>
internal sealed class RecordingTimeProvider : TimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public FakeTimeProvider Fake { get; } = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public List<TimeSpan> Delays { get; } = [];

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();
    public override long GetTimestamp() => Fake.GetTimestamp();
    public override long TimestampFrequency => Fake.TimestampFrequency;
    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Fake.CreateTimer(callback, state, dueTime, period);
        lock (Delays) Delays.Add(dueTime);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>
    /// Drives <paramref name="operation"/> to completion: each time it starts a timer, the clock is
    /// advanced by exactly that timer's due time. Returns the delays in order.
    /// </summary>
    public async Task<List<TimeSpan>> RunAsync(Task operation)
    {
        var seen = new List<TimeSpan>();
        using var hang = new CancellationTokenSource(TestTimeouts.Hang);
        while (true)
        {
            var next = _timers.Reader.WaitToReadAsync(hang.Token).AsTask();
            var done = await Task.WhenAny(operation, next);
            if (done == operation && !_timers.Reader.TryPeek(out _))
            {
                await operation; // surface its exception
                return seen;
            }
            if (hang.IsCancellationRequested) throw new TimeoutException("The operation neither completed nor started a timer.");
            while (_timers.Reader.TryRead(out var due))
            {
                if (due == Timeout.InfiniteTimeSpan) continue;
                seen.Add(due);
                Fake.Advance(due);
            }
        }
    }
}
