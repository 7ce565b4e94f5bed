using System.Diagnostics;
using System.Globalization;
using DurableStreams.Server.Protocol;
using DurableStreams.Server.Storage;
using DurableStreams.Server.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Server.Endpoints;

/// <summary>POST: append, append-and-close, or close only; with optional Stream-Seq and idempotent producers (§5.2, §5.3).</summary>
internal sealed class AppendHandler(IStreamStore store, DurableStreamsServerOptions options, ServerMetrics metrics, ILogger<AppendHandler> logger)
{
    public async Task HandleAsync(HttpContext context, string path, Activity? activity)
    {
        var request = context.Request;
        var response = context.Response;
        var headers = request.Headers;

        var producerId = headers.TryGetValue(StreamHeaders.ProducerId, out var id) ? id.ToString() : null;
        var epochText = headers.TryGetValue(StreamHeaders.ProducerEpoch, out var e) ? e.ToString() : null;
        var seqText = headers.TryGetValue(StreamHeaders.ProducerSeq, out var s) ? s.ToString() : null;
        activity.SetProducer(producerId, epochText, seqText);
        ProducerClaim? producer = null;
        if (producerId is not null || epochText is not null || seqText is not null)
        {
            if (producerId is null || epochText is null || seqText is null)
            {
                await HttpResults.Error(response, 400, "Producer-Id, Producer-Epoch and Producer-Seq must be sent together").ConfigureAwait(false);
                return;
            }
            if (producerId.Length == 0)
            {
                await HttpResults.Error(response, 400, "Invalid Producer-Id: must not be empty").ConfigureAwait(false);
                return;
            }
            if (!HeaderParsing.TryParseProducerNumber(epochText, out var epoch))
            {
                await HttpResults.Error(response, 400, "Invalid Producer-Epoch: must be a non-negative integer").ConfigureAwait(false);
                return;
            }
            if (!HeaderParsing.TryParseProducerNumber(seqText, out var seq))
            {
                await HttpResults.Error(response, 400, "Invalid Producer-Seq: must be a non-negative integer").ConfigureAwait(false);
                return;
            }
            producer = new ProducerClaim(producerId, epoch, seq);
        }

        // A JSON body is only read by the store (it keeps a flattened copy): into a pooled buffer, returned after.
        using var pooled = ContentTypes.IsJson(request.ContentType)
            ? await PooledBody.ReadAsync(request, options.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false)
            : null;
        ReadOnlyMemory<byte> body;
        if (pooled is not null) body = pooled.Memory;
        else if (await HttpResults.ReadBodyAsync(request, options.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false) is { } whole) body = whole;
        else
        {
            await HttpResults.Error(response, 413, "Request body too large").ConfigureAwait(false);
            return;
        }

        var close = StreamHeaders.IsTrue(headers[StreamHeaders.Closed].FirstOrDefault());
        if (body.Length == 0 && !close)
        {
            await HttpResults.Error(response, 400, "Empty body").ConfigureAwait(false);
            return;
        }
        if (body.Length > 0 && string.IsNullOrWhiteSpace(request.ContentType))
        {
            await HttpResults.Error(response, 400, "Content-Type header is required").ConfigureAwait(false);
            return;
        }

        var streamSeq = headers.TryGetValue(StreamHeaders.Seq, out var sq) ? sq.ToString() : null;
        var outcome = store.Append(path, new AppendRequest(request.ContentType, body, close, streamSeq, producer));
        if (outcome.Messages > 0)
        {
            metrics.Stored(context, ServerOperation.Send, outcome.Messages, outcome.Bytes);
            activity.SetMessageCount(outcome.Messages);
        }
        activity.SetNextOffset(outcome.NextOffset);
        activity.SetClosed(outcome.StreamClosed);
        await WriteOutcomeAsync(response, path, producer, outcome).ConfigureAwait(false);
    }

    private Task WriteOutcomeAsync(HttpResponse response, string path, ProducerClaim? producer, AppendOutcome outcome)
    {
        var headers = response.Headers;
        switch (outcome.Status)
        {
            case AppendStatus.Appended:
            case AppendStatus.ClosedNow:
                headers[StreamHeaders.NextOffset] = outcome.NextOffset;
                if (outcome.StreamClosed)
                {
                    headers[StreamHeaders.Closed] = "true";
                    Log.StreamClosed(logger, path, outcome.NextOffset!);
                }
                if (producer is { } accepted)
                {
                    headers[StreamHeaders.ProducerEpoch] = Text(accepted.Epoch);
                    headers[StreamHeaders.ProducerSeq] = Text(accepted.Seq);
                }
                // New data from a producer is 200; everything else (plain appends, closes) is 204.
                return HttpResults.Empty(response, producer is not null && outcome.Status == AppendStatus.Appended ? 200 : 204);
            case AppendStatus.Duplicate:
                if (outcome.NextOffset is not null) headers[StreamHeaders.NextOffset] = outcome.NextOffset;
                if (outcome.StreamClosed) headers[StreamHeaders.Closed] = "true";
                headers[StreamHeaders.ProducerEpoch] = Text(producer!.Value.Epoch);
                headers[StreamHeaders.ProducerSeq] = Text(outcome.ProducerValue);
                return HttpResults.Empty(response, 204);
            case AppendStatus.StreamClosed:
                headers[StreamHeaders.Closed] = "true";
                headers[StreamHeaders.NextOffset] = outcome.NextOffset;
                return HttpResults.Error(response, 409, "Stream is closed");
            case AppendStatus.StaleEpoch:
                headers[StreamHeaders.ProducerEpoch] = Text(outcome.ProducerValue);
                return HttpResults.Error(response, 403, "Stale producer epoch");
            case AppendStatus.SequenceGap:
                headers[StreamHeaders.ProducerExpectedSeq] = Text(outcome.ProducerValue);
                headers[StreamHeaders.ProducerReceivedSeq] = Text(outcome.ReceivedSeq);
                return HttpResults.Error(response, 409, "Producer sequence gap");
            case AppendStatus.InvalidEpochSeq:
            case AppendStatus.InvalidJson:
                return HttpResults.Error(response, 400, outcome.Error ?? "Bad request");
            case AppendStatus.ContentTypeMismatch:
            case AppendStatus.SeqConflict:
                return HttpResults.Error(response, 409, outcome.Error ?? "Conflict");
            case AppendStatus.Gone:
                return HttpResults.Error(response, 410, "Stream is gone");
            default:
                return HttpResults.Error(response, 404, "Stream not found");
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
