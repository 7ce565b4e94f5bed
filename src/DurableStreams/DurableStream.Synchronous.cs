using System.Text.Json.Serialization.Metadata;

namespace DurableStreams;

// Blocking forms for callers without an async context (scripts, legacy code), as the Python
// client's sync API offers. They wait on the async implementation; prefer the async methods.
public sealed partial class DurableStream
{
    /// <summary>Blocking <see cref="CreateAsync"/>.</summary>
    public CreateStreamResult Create(CreateStreamOptions? options = null) => CreateAsync(options).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="HeadAsync"/>.</summary>
    public StreamMetadata Head() => HeadAsync().GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="DeleteAsync"/>.</summary>
    public void Delete() => DeleteAsync().GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="AppendAsync(ReadOnlyMemory{byte}, AppendOptions?, CancellationToken)"/>.</summary>
    public AppendResult Append(ReadOnlyMemory<byte> data, AppendOptions? options = null) => AppendAsync(data, options).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="AppendAsync(string, AppendOptions?, CancellationToken)"/>.</summary>
    public AppendResult Append(string text, AppendOptions? options = null) => AppendAsync(text, options).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="AppendJsonAsync{T}"/>.</summary>
    public AppendResult AppendJson<T>(T value, JsonTypeInfo<T> typeInfo, AppendOptions? options = null) =>
        AppendJsonAsync(value, typeInfo, options).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="CloseAsync"/>.</summary>
    public CloseResult Close(ReadOnlyMemory<byte>? finalData = null) => CloseAsync(finalData).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="ReadAsync"/>.</summary>
    public StreamResponse Read(ReadOptions? options = null) => ReadAsync(options).GetAwaiter().GetResult();
}
