using System.Buffers;
using System.Net;
using DurableStreams.Http;
using DurableStreams.Logging;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Reading;

/// <summary>
/// The checks a read answer must pass before any of it is used: a response the reader cannot move on
/// from would otherwise be fetched (and its data delivered) again and again. Each failure is a
/// <see cref="DurableStreamProtocolException"/>: retrying the same request cannot fix it.
/// </summary>
internal static class ReadResponseCheck
{
    /// <summary>
    /// Largest body read ahead to tell an empty answer at the tail (normal) from data that does not move
    /// the offset (a violation). An answer at the tail is empty (or <c>[]</c>), so this is only ever a few bytes.
    /// </summary>
    private const int MaxNonAdvancingBody = 16 * 1024;

    /// <summary>Headers every successful read answer needs; <paramref name="longPoll"/> adds the cursor rule.</summary>
    public static void Headers(HttpResponseMessage response, Uri url, string asked, bool longPoll, ILogger logger)
    {
        if (string.IsNullOrEmpty(ResponseHeaderReader.Get(response, ProtocolNames.NextOffset)))
            throw Violation(logger, response.StatusCode, url, asked,
                $"HTTP {(int)response.StatusCode} read answer for offset {asked} has no {ProtocolNames.NextOffset} header, so the reader cannot tell where to continue.");
        // A live answer's cursor is what keeps caches from serving the same reply forever; only a closed stream may omit it.
        if (longPoll && response.StatusCode == HttpStatusCode.OK
            && string.IsNullOrEmpty(ResponseHeaderReader.Get(response, ProtocolNames.Cursor))
            && !ResponseHeaderReader.Flag(response, ProtocolNames.Closed))
            throw Violation(logger, response.StatusCode, url, asked,
                $"Long-poll answer for offset {asked} has no {ProtocolNames.Cursor} header and the stream is not closed.");
    }

    /// <summary>
    /// A response whose next offset is the offset asked for may only be empty (caught up at the tail).
    /// Reads its (small) body ahead to make sure, and leaves it readable again. Returns the network
    /// failure when the body broke off (nothing was used: the request may be sent again), else null.
    /// </summary>
    public static async ValueTask<DurableStreamNetworkException?> NonAdvancingAsync(HttpResponseMessage response, Uri url, string asked, bool json, ILogger logger, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NoContent) return null;
        if (response.Content.Headers.ContentLength == 0) return null;

        // Answers at the tail come often and are a few bytes: the read-ahead buffer is pooled.
        var buffer = ArrayPool<byte>.Shared.Rent(MaxNonAdvancingBody + 1);
        byte[] kept;
        try
        {
            var length = 0;
            try
            {
                var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                int read;
                while (length <= MaxNonAdvancingBody
                       && (read = await body.ReadAsync(buffer.AsMemory(length, MaxNonAdvancingBody + 1 - length), cancellationToken).ConfigureAwait(false)) > 0)
                    length += read;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                return new DurableStreamNetworkException($"Network error reading the body of GET {url.AbsolutePath}: {ex.Message}", url, ex, new Offset(asked));
            }
            catch (Exception ex) when (CancellationRace.Lost(ex, cancellationToken))
            {
                throw CancellationRace.Cancelled(ex, cancellationToken);
            }

            if (length > MaxNonAdvancingBody || HasData(buffer.AsSpan(0, length), json))
                throw Violation(logger, response.StatusCode, url, asked,
                    $"Read answer carries data but its {ProtocolNames.NextOffset} is the offset asked for ({asked}); reading on would deliver the same data again.");
            kept = buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // Hand the (empty) body on as it was, headers included.
        var old = response.Content;
        var copy = new ByteArrayContent(kept);
        foreach (var (name, values) in old.Headers.NonValidated) copy.Headers.TryAddWithoutValidation(name, values);
        response.Content = copy;
        old.Dispose();
        return null;
    }

    /// <summary>Whether SSE data events waiting for a control event hold any data.</summary>
    public static bool HasData(List<byte[]> payloads, bool json)
    {
        foreach (var payload in payloads)
            if (HasData(payload, json)) return true;
        return false;
    }

    /// <summary>Whether a body holds data: anything but whitespace, and in JSON mode anything but an empty array.</summary>
    public static bool HasData(ReadOnlySpan<byte> body, bool json)
    {
        body = Trim(body);
        if (body.IsEmpty) return false;
        if (!json || body[0] != (byte)'[' || body[^1] != (byte)']') return true;
        return !Trim(body[1..^1]).IsEmpty;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> span) => span.Trim(" \t\r\n"u8);

    public static DurableStreamProtocolException Violation(ILogger logger, HttpStatusCode? status, Uri url, string asked, string message)
    {
        var error = new DurableStreamProtocolException(message, status, url, new Offset(asked));
        Log.ProtocolViolation(logger, url.AbsolutePath, asked, message, error);
        return error;
    }
}
