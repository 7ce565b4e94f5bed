using System.Diagnostics;

namespace DurableStreams.Bench.EndToEnd.Scenarios;

/// <summary>Wall time and this process's CPU time (all threads) over one measured section.</summary>
internal readonly struct Clock
{
    private readonly long _started;
    private readonly TimeSpan _cpu;

    private Clock(long started, TimeSpan cpu)
    {
        _started = started;
        _cpu = cpu;
    }

    public static Clock Start() => new(Stopwatch.GetTimestamp(), Process.GetCurrentProcess().TotalProcessorTime);

    /// <summary>Milliseconds from the start to <paramref name="timestamp"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public double MsTo(long timestamp) => Stopwatch.GetElapsedTime(_started, timestamp).TotalMilliseconds;

    public WriteResult Stop() => new(
        Stopwatch.GetElapsedTime(_started).TotalMilliseconds,
        (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalMilliseconds);
}
