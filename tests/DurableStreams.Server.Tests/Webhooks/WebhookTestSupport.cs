using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Serialization;
using DurableStreams.Consumers;

namespace DurableStreams.Server.Tests.Webhooks;

public sealed record TestOrder(string Id, int Amount);

[JsonSerializable(typeof(TestOrder))]
internal sealed partial class WebhookTestJson : JsonSerializerContext;

/// <summary>Records what the typed receiver handed over; a message whose id is in <see cref="FailOn"/> throws, once.</summary>
internal sealed class RecordingOrders
{
    public ConcurrentQueue<StreamMessage<TestOrder>> Handled { get; } = new();
    public ConcurrentDictionary<string, bool> FailOn { get; } = new();
    public int Scopes;
}

/// <summary>Scoped: one instance per message proves the per-message scope.</summary>
internal sealed class RecordingOrderHandler(RecordingOrders record) : IStreamHandler<TestOrder>
{
    private bool _used;

    public ValueTask HandleAsync(StreamMessage<TestOrder> message, CancellationToken cancellationToken)
    {
        if (_used) throw new InvalidOperationException("A handler instance was reused across messages.");
        _used = true;
        Interlocked.Increment(ref record.Scopes);
        if (record.FailOn.TryRemove(message.Data.Id, out _)) throw new InvalidOperationException("handler failure for " + message.Data.Id);
        record.Handled.Enqueue(message);
        return ValueTask.CompletedTask;
    }
}

internal static class SignedRequests
{
    public static HttpRequestMessage Post(string url, byte[] body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (signature is not null) request.Headers.TryAddWithoutValidation("Webhook-Signature", signature);
        return request;
    }

    /// <summary>A copy of a request as received (the same bytes and header): a replay.</summary>
    public static HttpRequestMessage Copy(string url, byte[] body, string? signature) => Post(url, body, signature);

    public static byte[] Wake(string subscription, string wakeId, long generation, string streamsJson, string callbackUrl) =>
        Encoding.UTF8.GetBytes($$"""
            {"subscription_id":"{{subscription}}","wake_id":"{{wakeId}}","generation":{{generation}},"streams":[{{streamsJson}}],"callback_url":"{{callbackUrl}}","callback_token":"tok.sig"}
            """);

    public static string Stream(string path, string acked, string tail) =>
        $$"""{"path":"{{path}}","link_type":"explicit","acked_offset":"{{acked}}","tail_offset":"{{tail}}","has_pending":{{(string.CompareOrdinal(tail, acked) > 0 ? "true" : "false")}}}""";
}
