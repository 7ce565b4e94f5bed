using System.Text.Json.Serialization.Metadata;
using DurableStreams.Consumers;
using DurableStreams.Subscriptions;
using Microsoft.Extensions.DependencyInjection;

namespace DurableStreams.Server.Webhooks;

/// <summary>
/// The typed receiver: reads each woken stream from its acked offset up to (at least) the wake's tail offset and hands
/// every message, in order, to an <see cref="IStreamHandler{T}"/> resolved from a DI scope of its own.
/// <list type="bullet">
/// <item>Every stream ended exactly at its tail: <c>{"done": true}</c>, and the server acks those tails.</item>
/// <item>A read went past a tail (messages appended after the wake, in the same delivery): the receiver finishes the
/// wake itself through the callback, acking where it really got to, so those messages are not handled again.</item>
/// <item>A handler throws: the deliveries finished so far are acked through the callback (without <c>done</c>), and
/// the wake fails (500); the server redelivers it from the new acked offsets. At least once, nothing skipped.</item>
/// </list>
/// </summary>
internal sealed class TypedWakeProcessor<T>(JsonTypeInfo<T> typeInfo, DurableStreamsWebhookOptions options, IServiceProvider services)
{
    private readonly IServiceScopeFactory _scopes = services.GetRequiredService<IServiceScopeFactory>();
    private DurableStreamClient? _client;

    public async ValueTask<WebhookOutcome> ProcessAsync(SubscriptionWebhookNotification wake, CancellationToken cancellationToken)
    {
        var client = _client ??= WebhookServices.StreamClient(options, services);
        var root = DurableStreamsWebhookOptions.WithSlash(options.StreamRoot ?? StreamRootOf(wake.CallbackUrl!));
        var acks = new List<SubscriptionAck>();
        var pastTail = false;
        foreach (var stream in wake.Streams)
        {
            if (!stream.HasPending) continue;
            var reached = stream.AckedOffset;
            try
            {
                reached = await ProcessStreamAsync(client, root, stream, cancellationToken).ConfigureAwait(false);
            }
            catch (StreamProgressException progress)
            {
                if (IsAfter(progress.Reached, stream.AckedOffset)) acks.Add(new SubscriptionAck(stream.Path, progress.Reached));
                await AckProgressAsync(client, root, wake, acks, cancellationToken).ConfigureAwait(false);
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(progress.InnerException!);
            }
            if (IsAfter(reached, stream.AckedOffset)) acks.Add(new SubscriptionAck(stream.Path, reached));
            pastTail |= IsAfter(reached, stream.TailOffset);
        }
        if (!pastTail) return WebhookOutcome.Done;

        await new SubscriptionClient(client, root.AbsoluteUri).CallbackAsync(wake.CallbackUrl!, wake.CallbackToken!, wake.WakeId,
            wake.Generation, acks, done: true, cancellationToken).ConfigureAwait(false);
        return WebhookOutcome.Accepted;
    }

    /// <summary>Handles one stream's messages; returns the end of the last delivery handled in full.</summary>
    private async Task<Offset> ProcessStreamAsync(DurableStreamClient client, Uri root, SubscriptionStreamState stream,
        CancellationToken cancellationToken)
    {
        var reached = stream.AckedOffset;
        var url = new Uri(root, EscapePath(stream.Path));
        var read = new ReadOptions { Offset = stream.AckedOffset, Live = LiveMode.Off };
        await using var response = await client.StreamAsync(url.AbsoluteUri, read, cancellationToken).ConfigureAwait(false);
        await foreach (var batch in response.ReadJsonBatchesAsync(typeInfo, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < batch.Items.Count; i++)
            {
                try
                {
                    var scope = _scopes.CreateAsyncScope();
                    await using (scope.ConfigureAwait(false))
                    {
                        var handler = scope.ServiceProvider.GetRequiredService<IStreamHandler<T>>();
                        await handler.HandleAsync(new StreamMessage<T>(batch.Items[i], stream.Path, batch.PositionAfter(i), 1),
                            cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new StreamProgressException(reached, ex);
                }
            }
            // Acks name server offsets, so progress is counted in whole deliveries.
            reached = batch.Offset;
            // The wake covers messages up to its tail; stop there (a delivery may reach a little further).
            if (!IsAfter(stream.TailOffset, reached)) break;
        }
        return reached;
    }

    private async Task AckProgressAsync(DurableStreamClient client, Uri root, SubscriptionWebhookNotification wake,
        List<SubscriptionAck> acks, CancellationToken cancellationToken)
    {
        if (acks.Count == 0) return;
        try
        {
            await new SubscriptionClient(client, root.AbsoluteUri).CallbackAsync(wake.CallbackUrl!, wake.CallbackToken!, wake.WakeId,
                wake.Generation, acks, done: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DurableStreamException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // Not fatal: without the ack the redelivery starts earlier and handles those messages again (at least once).
        }
    }

    private static bool IsAfter(Offset a, Offset b) => string.CompareOrdinal(a.Value, b.Value) > 0;

    /// <summary>The stream root from a callback URL shaped <c>{root}/__ds/subscriptions/{id}/callback</c> (§6, §7.1).</summary>
    internal static Uri StreamRootOf(Uri callbackUrl)
    {
        var text = callbackUrl.GetLeftPart(UriPartial.Path);
        var reserved = text.LastIndexOf("/__ds/", StringComparison.Ordinal);
        if (reserved < 0)
            throw new InvalidOperationException(
                $"Cannot tell the stream root from the callback URL {text}; set DurableStreamsWebhookOptions.StreamRoot.");
        return new Uri(text[..(reserved + 1)]);
    }

    internal static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    /// <summary>A handler failure, with how far the stream got before it.</summary>
    private sealed class StreamProgressException(Offset reached, Exception inner) : Exception(inner.Message, inner)
    {
        public Offset Reached { get; } = reached;
    }
}
