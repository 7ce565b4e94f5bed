namespace DurableStreams.ConformanceAdapter;

/// <summary>What the adapter remembers across commands: the client, content types per path, producers, dynamic values.</summary>
internal sealed class AdapterState : IAsyncDisposable
{
    private readonly Dictionary<string, string> _contentTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DurableStream> _handles = new(StringComparer.Ordinal);

    public AdapterState(string serverUrl)
    {
        Client = new DurableStreamClient(new Uri(serverUrl.TrimEnd('/') + "/"));
    }

    public DurableStreamClient Client { get; }
    public DynamicValues Dynamic { get; } = new();
    public Dictionary<(string Path, string ProducerId, long Epoch), IdempotentProducer> Producers { get; } = [];

    public string ContentTypeOf(string path) =>
        _contentTypes.TryGetValue(path, out var type) ? type : "application/octet-stream";

    public void RememberContentType(string path, string? contentType)
    {
        if (contentType is null) return;
        _contentTypes[path] = contentType;
        _handles.Remove(path); // a handle carries its content type
    }

    public void Forget(string path)
    {
        _contentTypes.Remove(path);
        _handles.Remove(path);
    }

    /// <summary>One handle per path, so its batching and implicit producer span commands.</summary>
    public DurableStream Stream(string path)
    {
        if (!_handles.TryGetValue(path, out var handle))
            _handles[path] = handle = Client.GetStream(Relative(path), ContentTypeOf(path));
        return handle;
    }

    /// <summary>Paths are absolute from the server root; the client resolves relative to its base.</summary>
    public static string Relative(string path) => path.TrimStart('/');

    public async ValueTask DisposeAsync()
    {
        foreach (var producer in Producers.Values)
        {
            try { await producer.DisposeAsync(); }
            catch (Exception ex) { Console.Error.WriteLine($"[adapter] producer dispose: {ex.Message}"); }
        }
        Client.Dispose();
    }
}
