namespace DurableStreams.Bench.EndToEnd.Harness;

/// <summary>
/// Samples this process's working set every few milliseconds on its own thread; <see cref="Growth"/> is the
/// peak above the level at the start, so memory kept from earlier scenarios does not count against a read.
/// </summary>
internal sealed class PeakWorkingSet : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private readonly long _start;
    private long _peak;

    public PeakWorkingSet()
    {
        _start = _peak = Environment.WorkingSet;
        _thread = new Thread(Sample) { IsBackground = true, Name = "peak working set" };
        _thread.Start();
    }

    public long Growth => Math.Max(Interlocked.Read(ref _peak), Environment.WorkingSet) - _start;

    private void Sample()
    {
        while (!_stop)
        {
            var now = Environment.WorkingSet;
            if (now > Interlocked.Read(ref _peak)) Interlocked.Exchange(ref _peak, now);
            Thread.Sleep(5);
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
