using System.Buffers;
using System.Text.Json;
using DurableStreams.Subscriptions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Server.Webhooks;

/// <summary>
/// One mapped webhook receiver: reads the raw body once (bounded), verifies the signature, parses the wake and only
/// then runs the handler. Every refusal happens before the handler: 413 (too large), 401 (signature), 503 (keys
/// unavailable), 400 (signed but not a wake), 403 (a subscription this endpoint does not serve).
/// </summary>
internal sealed class WebhookEndpoint(
    WebhookSignatureVerifier verifier,
    DurableStreamsWebhookOptions options,
    Func<SubscriptionWebhookNotification, HttpContext, CancellationToken, ValueTask<WebhookOutcome>> handler,
    ILogger logger)
{
    private static readonly byte[] DoneReply = """{"done":true}"""u8.ToArray();
    private static readonly byte[] AcceptedReply = "{}"u8.ToArray();

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var aborted = context.RequestAborted;
        var path = request.Path.Value ?? "/";

        var signature = request.Headers[WebhookSignatureHeader.HeaderName];
        if (signature.Count > 1)
        {
            await RefuseAsync(context, path, new WebhookVerificationResult(WebhookRejection.MalformedSignature, null, null)).ConfigureAwait(false);
            return;
        }

        var body = await ReadBodyAsync(request, options.MaxBodyBytes, aborted).ConfigureAwait(false);
        if (body is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE",
                $"The body exceeds {options.MaxBodyBytes} bytes.").ConfigureAwait(false);
            return;
        }

        var verification = await verifier.VerifyAsync(signature.Count == 0 ? null : signature[0], body, aborted).ConfigureAwait(false);
        if (!verification.IsValid)
        {
            await RefuseAsync(context, path, verification).ConfigureAwait(false);
            return;
        }

        if (!WebhookWakeParser.TryParse(body, out var wake, out var error))
        {
            WebhookLog.Invalid(logger, path, error);
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "INVALID_REQUEST", error).ConfigureAwait(false);
            return;
        }
        if (options.SubscriptionIds.Count > 0 && !options.SubscriptionIds.Contains(wake.SubscriptionId))
        {
            WebhookLog.Invalid(logger, path, $"subscription {wake.SubscriptionId} is not served here");
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden, "SUBSCRIPTION_NOT_SERVED",
                "This endpoint does not serve that subscription.").ConfigureAwait(false);
            return;
        }

        WebhookOutcome outcome;
        try
        {
            outcome = await handler(wake, context, aborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            // The server retries the wake with backoff; its retry must not be taken for a replay.
            verifier.Forget(verification);
            WebhookLog.HandlerFailed(logger, ex, wake.WakeId, wake.SubscriptionId, wake.Generation);
            await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "HANDLER_FAILED",
                "The wake could not be processed.").ConfigureAwait(false);
            return;
        }

        WebhookLog.Handled(logger, wake.WakeId, wake.SubscriptionId, wake.Generation, outcome);
        var done = outcome == WebhookOutcome.Done;
        context.Response.StatusCode = done ? StatusCodes.Status200OK : StatusCodes.Status202Accepted;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(done ? DoneReply : AcceptedReply, aborted).ConfigureAwait(false);
    }

    private async Task RefuseAsync(HttpContext context, string path, WebhookVerificationResult result)
    {
        if (result.Rejection == WebhookRejection.KeysUnavailable)
        {
            WebhookLog.KeysUnavailable(logger, result.Error, verifier.JwksUrl);
            await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "KEYS_UNAVAILABLE",
                "The webhook signing keys could not be fetched.").ConfigureAwait(false);
            return;
        }
        WebhookLog.Refused(logger, path, result.Rejection, result.KeyId);
        await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "INVALID_SIGNATURE",
            "The webhook signature was refused: " + result.Rejection + ".").ConfigureAwait(false);
    }

    /// <summary>The whole body, or null when it is larger than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit) return null;
        var initial = (int)Math.Min(request.ContentLength ?? 16 * 1024, limit) + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(initial);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit) return null;
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                length += read;
                if (length > limit) return null;
            }
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        var output = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        await response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
