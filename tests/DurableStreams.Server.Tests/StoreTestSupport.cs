using System.Text;
using DurableStreams.Server.Storage;

namespace DurableStreams.Server.Tests;

/// <summary>Shorthands for driving a store directly, as the endpoints do.</summary>
internal static class StoreTestSupport
{
    public static CreateOutcome CreateText(this IStreamStore store, string path, string body = "", bool closed = false) =>
        store.Create(path, new CreateRequest("text/plain", null, null, closed, Encoding.UTF8.GetBytes(body), null, null, null));

    public static CreateOutcome CreateJson(this IStreamStore store, string path, string body = "") =>
        store.Create(path, new CreateRequest("application/json", null, null, false, Encoding.UTF8.GetBytes(body), null, null, null));

    public static AppendOutcome AppendText(this IStreamStore store, string path, string body, ProducerClaim? producer = null, bool close = false, string contentType = "text/plain") =>
        store.Append(path, new AppendRequest(contentType, Encoding.UTF8.GetBytes(body), close, null, producer));

    public static string ReadText(this IStreamStore store, string path, string? offset = null) =>
        string.Concat(store.Read(path, offset).Messages.Select(m => Encoding.UTF8.GetString(m.Data)));

    public static string ReadBody(this IStreamStore store, string path, string? offset = null)
    {
        var read = store.Read(path, offset);
        return Encoding.UTF8.GetString(Protocol.MessageBodies.Format(read.Stream!.ContentType, read.Messages));
    }
}
