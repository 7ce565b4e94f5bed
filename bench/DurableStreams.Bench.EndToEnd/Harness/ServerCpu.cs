using System.Diagnostics;

namespace DurableStreams.Bench.EndToEnd.Harness;

/// <summary>
/// CPU time of the reference server's node process over a measured section: a server busy close to
/// 100% of one core for the whole wall time bounds what any client can reach (node runs JS on one thread).
/// </summary>
internal sealed class ServerCpu(int processId)
{
    private readonly Process _process = Process.GetProcessById(processId);

    public TimeSpan Now()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }
}
