namespace DurableStreams.Http;

/// <summary>
/// A request body that can produce fresh content for every attempt (a sent
/// <see cref="HttpContent"/> cannot be reused, and a retry must send the same bytes).
/// </summary>
internal abstract class RequestBody
{
    /// <summary>New content over the same bytes; the caller (the request message) owns it.</summary>
    public abstract HttpContent CreateContent();

    /// <summary>A body over bytes that stay unchanged while the request may be retried.</summary>
    public static RequestBody FromMemory(ReadOnlyMemory<byte> data) => new MemoryBody(data);

    private sealed class MemoryBody(ReadOnlyMemory<byte> data) : RequestBody
    {
        public override HttpContent CreateContent() => new ReadOnlyMemoryContent(data);
    }
}
