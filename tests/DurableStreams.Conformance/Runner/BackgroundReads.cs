using System.Text.Json.Nodes;
using DurableStreams.Conformance.Yaml;

namespace DurableStreams.Conformance.Runner;

/// <summary>
/// Reads started with <c>background: true</c>, filed under their <c>as</c> name until an
/// <c>await</c> collects them. Cleared before every case.
/// </summary>
internal sealed class BackgroundReads
{
    private readonly Dictionary<string, PendingRead> _pending = new(StringComparer.Ordinal);

    public sealed record PendingRead(string Name, CaseStep Step, JsonObject Command, Task<JsonObject> Completion);

    public void Add(PendingRead read) => _pending[read.Name] = read;

    public bool TryTake(string name, out PendingRead read) => _pending.Remove(name, out read!);

    /// <summary>A read whose reply has not arrived yet; while one exists the adapter cannot take another command.</summary>
    public PendingRead? Outstanding => _pending.Values.FirstOrDefault(read => !read.Completion.IsCompleted);

    /// <summary>
    /// Waits for reads nobody awaited (e.g. the case failed first) so their replies are consumed
    /// before the next case talks to the adapter; their results and errors are only logged.
    /// </summary>
    public async Task AbandonAllAsync(CaseLog log)
    {
        foreach (var read in _pending.Values)
        {
            try
            {
                await read.Completion.ConfigureAwait(false);
                log.Write($"background read '{read.Name}' finished without being awaited");
            }
            catch (Exception ex)
            {
                log.Write($"background read '{read.Name}' failed without being awaited: {ex.Message}");
            }
        }

        _pending.Clear();
    }
}
