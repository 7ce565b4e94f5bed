using DurableStreams.Server.Storage;

namespace DurableStreams.Server.Protocol;

/// <summary>The response body for a run of messages: a JSON array in JSON mode, the raw bytes otherwise (§9).</summary>
internal static class MessageBodies
{
    public static byte[] Format(string contentType, IReadOnlyList<StoredMessage> messages)
    {
        if (ContentTypes.IsJson(contentType)) return JsonMessages.Format([.. messages.Select(m => (ReadOnlyMemory<byte>)m.Data)]);
        var total = 0;
        foreach (var message in messages) total += message.Data.Length;
        var body = new byte[total];
        var position = 0;
        foreach (var message in messages)
        {
            message.Data.CopyTo(body, position);
            position += message.Data.Length;
        }
        return body;
    }
}
