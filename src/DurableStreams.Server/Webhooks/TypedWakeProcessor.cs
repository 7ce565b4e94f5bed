using System.Text.Json.Serialization.Metadata;
using DurableStreams.Consumers;
using Microsoft.Extensions.DependencyInjection;

namespace DurableStreams.Server.Webhooks;

/// <summary>
/// The typed receiver: reads each woken stream from its acked offset up to (at least) the wake's tail offset and hands
/// every message, in order, to an <see cref="IStreamHandler{T}"/> resolved from a DI scope of its own. When every
/// stream ended exactly at its tail, <c>{"done": true}</c> lets the server ack those tails. A handler failure fails
/// the wake (500): the server redelivers it with backoff from the acked offsets, so delivery is at least once.
/// </summary>
internal sealed class TypedWakeProcessor<T>(JsonTypeInfo<T> typeInfo, DurableStreamsWebhookOptions options, IServiceProvider services)
{
    private readonly IServiceScopeFactory _scopes = services.GetRequiredService<IServiceScopeFactory>();
    private DurableStreamClient? _client;

    public async ValueTask<WebhookOutcome> ProcessAsync(WebhookWake wake, CancellationToken cancellationToken)
    {
        var client = _client ??= WebhookServices.StreamClient(options, services);
        var root = DurableStreamsWebhookOptions.WithSlash(options.StreamRoot ?? StreamRootOf(wake.CallbackUrl));
        foreach (var stream in wake.Streams)
        {
            if (!stream.HasPending) continue;
            var url = new Uri(root, EscapePath(stream.Path));
            var read = new ReadOptions { Offset = stream.AckedOffset, Live = LiveMode.Off };
            await using var response = await client.StreamAsync(url.AbsoluteUri, read, cancellationToken).ConfigureAwait(false);
            await foreach (var batch in response.ReadJsonBatchesAsync(typeInfo, cancellationToken).ConfigureAwait(false))
            {
                for (var i = 0; i < batch.Items.Count; i++)
                {
                    var scope = _scopes.CreateAsyncScope();
                    await using (scope.ConfigureAwait(false))
                    {
                        var handler = scope.ServiceProvider.GetRequiredService<IStreamHandler<T>>();
                        await handler.HandleAsync(new StreamMessage<T>(batch.Items[i], stream.Path, batch.PositionAfter(i), 1),
                            cancellationToken).ConfigureAwait(false);
                    }
                }
                // The wake covers messages up to its tail; stop there (a delivery may reach a little further).
                if (string.CompareOrdinal(batch.Offset.Value, stream.TailOffset.Value) >= 0) break;
            }
        }
        return WebhookOutcome.Done;
    }

    /// <summary>The stream root from a callback URL shaped <c>{root}/__ds/subscriptions/{id}/callback</c> (§6, §7.1).</summary>
    internal static Uri StreamRootOf(Uri callbackUrl)
    {
        var text = callbackUrl.GetLeftPart(UriPartial.Path);
        var reserved = text.LastIndexOf("/__ds/", StringComparison.Ordinal);
        if (reserved < 0)
            throw new InvalidOperationException(
                $"Cannot tell the stream root from the callback URL {callbackUrl.GetLeftPart(UriPartial.Path)}; set DurableStreamsWebhookOptions.StreamRoot.");
        return new Uri(text[..(reserved + 1)]);
    }

    internal static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
