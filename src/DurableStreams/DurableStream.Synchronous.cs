using System.Text.Json.Serialization.Metadata;

namespace DurableStreams;

// Blocking forms for callers without an async context (scripts, legacy code), as the Python
// client's sync API offers. They wait on the async implementation, passing the token through;
// prefer the async methods.
public sealed partial class DurableStream
{
    /// <summary>Blocking <see cref="CreateAsync"/>.</summary>
    public CreateStreamResult Create(CreateStreamOptions? options = null, CancellationToken cancellationToken = default) =>
        CreateAsync(options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="HeadAsync"/>.</summary>
    public StreamMetadata Head(CancellationToken cancellationToken = default) => HeadAsync(cancellationToken).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="DeleteAsync"/>.</summary>
    public void Delete(CancellationToken cancellationToken = default) => DeleteAsync(cancellationToken).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="AppendAsync(ReadOnlyMemory{byte}, AppendOptions?, CancellationToken)"/>.</summary>
    public AppendResult Append(ReadOnlyMemory<byte> data, AppendOptions? options = null, CancellationToken cancellationToken = default) =>
        AppendAsync(data, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="AppendAsync(string, AppendOptions?, CancellationToken)"/>.</summary>
    public AppendResult Append(string text, AppendOptions? options = null, CancellationToken cancellationToken = default) =>
        AppendAsync(text, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="AppendJsonAsync{T}"/>.</summary>
    public AppendResult AppendJson<T>(T value, JsonTypeInfo<T> typeInfo, AppendOptions? options = null, CancellationToken cancellationToken = default) =>
        AppendJsonAsync(value, typeInfo, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="CloseAsync"/>.</summary>
    public CloseResult Close(ReadOnlyMemory<byte>? finalData = null, CancellationToken cancellationToken = default) =>
        CloseAsync(finalData, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="ReadAsync"/>: returns once the first request has succeeded.</summary>
    public StreamResponse Read(ReadOptions? options = null, CancellationToken cancellationToken = default) =>
        ReadAsync(options, cancellationToken).GetAwaiter().GetResult();
}
