using System.Text.Json;

namespace DurableStreams.Server.Webhooks;

/// <summary>Reads a verified body into a <see cref="WebhookWake"/>, or says what is missing.</summary>
internal static class WebhookWakeParser
{
    public static bool TryParse(ReadOnlySpan<byte> body, out WebhookWake wake, out string error)
    {
        wake = null!;
        WakeNotificationDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(body, WebhookJsonContext.Default.WakeNotificationDto);
        }
        catch (JsonException ex)
        {
            error = "the body is not a wake notification: " + ex.Message;
            return false;
        }
        if (dto is null) return Fail("the body is null", out error);
        if (string.IsNullOrEmpty(dto.SubscriptionId)) return Fail("subscription_id is missing", out error);
        if (string.IsNullOrEmpty(dto.WakeId)) return Fail("wake_id is missing", out error);
        if (dto.Generation is not { } generation) return Fail("generation is missing", out error);
        if (dto.Streams is null) return Fail("streams is missing", out error);
        if (!Uri.TryCreate(dto.CallbackUrl, UriKind.Absolute, out var callback) || callback.Scheme is not ("http" or "https"))
            return Fail("callback_url is missing or not an http(s) URL", out error);
        if (string.IsNullOrEmpty(dto.CallbackToken)) return Fail("callback_token is missing", out error);

        var streams = new WebhookWakeStream[dto.Streams.Count];
        for (var i = 0; i < streams.Length; i++)
        {
            var s = dto.Streams[i];
            if (s is null || string.IsNullOrEmpty(s.Path) || s.AckedOffset is null || string.IsNullOrEmpty(s.TailOffset))
                return Fail($"streams[{i}] lacks path, acked_offset or tail_offset", out error);
            Offset acked, tail;
            try
            {
                acked = Offset.Parse(s.AckedOffset);
                tail = Offset.Parse(s.TailOffset);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                return Fail($"streams[{i}] has an invalid offset", out error);
            }
            streams[i] = new WebhookWakeStream(s.Path, s.LinkType ?? "", acked, tail,
                s.HasPending ?? string.CompareOrdinal(tail.Value, acked.Value) > 0);
        }
        wake = new WebhookWake(dto.SubscriptionId, dto.WakeId, generation, streams, callback, dto.CallbackToken);
        error = "";
        return true;
    }

    private static bool Fail(string reason, out string error)
    {
        error = reason;
        return false;
    }
}
