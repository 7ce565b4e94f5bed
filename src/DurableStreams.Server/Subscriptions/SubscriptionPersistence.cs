using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableStreams.Server.Subscriptions;

/// <summary>
/// Keeps subscriptions (definitions, cursors, generations, retry schedule) in <c>subscriptions.json</c> next to
/// the file store's journal, rewritten whole and atomically (temporary file, then rename) on every change:
/// subscriptions are few and small. The memory store keeps nothing.
/// </summary>
internal sealed class SubscriptionPersistence(DurableStreamsServerOptions options)
{
    public const string FileName = "subscriptions.json";

    private readonly string? _path = options.Store == DurableStreamsStoreKind.File && options.DataDirectory is { } directory
        ? Path.Combine(directory, FileName)
        : null;

    public IReadOnlyList<Subscription> Load()
    {
        if (_path is null || !File.Exists(_path)) return [];
        using var file = File.OpenRead(_path);
        return JsonSerializer.Deserialize(file, SubscriptionJsonContext.Default.ListSubscription) ?? [];
    }

    public void Save(IEnumerable<Subscription> subscriptions)
    {
        if (_path is null) return;
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var temporary = _path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(file, subscriptions.ToList(), SubscriptionJsonContext.Default.ListSubscription);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, _path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<Subscription>))]
internal sealed partial class SubscriptionJsonContext : JsonSerializerContext;
