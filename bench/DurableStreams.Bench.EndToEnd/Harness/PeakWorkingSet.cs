namespace DurableStreams.Bench.EndToEnd.Harness;

/// <summary>Samples this process's working set every few milliseconds on its own thread and keeps the peak.</summary>
internal sealed class PeakWorkingSet : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _peak;

    public PeakWorkingSet()
    {
        _peak = Environment.WorkingSet;
        _thread = new Thread(Sample) { IsBackground = true, Name = "peak working set" };
        _thread.Start();
    }

    public long Peak => Math.Max(Interlocked.Read(ref _peak), Environment.WorkingSet);

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
