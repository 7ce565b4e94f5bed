namespace DurableStreams.Testing;

/// <summary>Keeps the last few lines of a child process's output for error messages; safe to fill from event threads.</summary>
internal sealed class BoundedLineBuffer(int capacity)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            if (_lines.Count > capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _lines.Count == 0 ? "(no output)" : string.Join('\n', _lines);
        }
    }
}
