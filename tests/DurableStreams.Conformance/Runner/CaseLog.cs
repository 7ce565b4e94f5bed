using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DurableStreams.Conformance.Runner;

/// <summary>
/// The transcript of one case (commands, results, HTTP calls, adapter stderr), written to the
/// test's output. Lines may arrive from the adapter's stderr thread, hence the lock.
/// </summary>
internal sealed class CaseLog
{
    private readonly StringBuilder _text = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();

    public void Write(string line)
    {
        var elapsed = _clock.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture).PadLeft(6);
        lock (_gate)
        {
            _text.Append('[').Append(elapsed).Append(" ms] ").AppendLine(line);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }
}
