using System.Buffers;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DurableStreams.Reading;

/// <summary>Turns a <see cref="ReadBatch"/> into bytes or typed JSON messages.</summary>
internal static class BatchDecoder
{
    /// <summary>All bytes of the batch; SSE JSON payloads (one array per event) are merged into one array.</summary>
    public static async ValueTask<byte[]> ReadBytesAsync(ReadBatch batch, bool json, Uri url, CancellationToken cancellationToken)
    {
        if (batch.Response is { } response)
        {
            try
            {
                return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw BodyFailure(ex, url, batch.Offset);
            }
        }
        var payloads = batch.Payloads!;
        return json ? MergeJsonArrays(payloads) : Concat(payloads);
    }

    /// <summary>
    /// The JSON messages of the batch, one array level flattened. Response bodies are decoded
    /// incrementally from the network stream, never buffered whole.
    /// </summary>
    public static async IAsyncEnumerable<T> ReadItemsAsync<T>(ReadBatch batch, JsonTypeInfo<T> typeInfo, Uri url,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (batch.Payloads is { } payloads)
        {
            foreach (var payload in payloads)
                foreach (var item in ParsePayload(payload, typeInfo, url, batch.Offset))
                    yield return item;
            yield break;
        }

        Stream body;
        try
        {
            body = await batch.Response!.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw BodyFailure(ex, url, batch.Offset);
        }

        var prefixed = await SkipToContentAsync(body, url, batch.Offset, cancellationToken).ConfigureAwait(false);
        if (prefixed is null) yield break; // empty body: no messages

        await using var enumerator = JsonSerializer.DeserializeAsyncEnumerable(prefixed, typeInfo, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            T? item;
            try
            {
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false)) break;
                item = enumerator.Current;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw BodyFailure(ex, url, batch.Offset);
            }
            yield return item!;
        }
    }

    private static List<T> ParsePayload<T>(byte[] payload, JsonTypeInfo<T> typeInfo, Uri url, string offset)
    {
        var items = new List<T>();
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read()) return items; // empty event: no messages
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                items.Add(JsonSerializer.Deserialize(payload, typeInfo)!);
                return items;
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                items.Add(JsonSerializer.Deserialize(ref reader, typeInfo)!);
            if (reader.TokenType != JsonTokenType.EndArray || reader.Read())
                throw new JsonException("Trailing data after the JSON array.");
        }
        catch (JsonException ex)
        {
            throw new DurableStreamParseException($"Invalid JSON in SSE data event: {ex.Message}", url, offset, ex);
        }
        return items;
    }

    /// <summary>Reads up to the first non-whitespace byte; null when the body is empty.</summary>
    private static async ValueTask<Stream?> SkipToContentAsync(Stream body, Uri url, string offset, CancellationToken cancellationToken)
    {
        var buffer = new byte[256];
        while (true)
        {
            int read;
            try
            {
                read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw BodyFailure(ex, url, offset);
            }
            if (read == 0) return null;
            var start = 0;
            while (start < read && buffer[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') start++;
            if (start < read) return new PrefixedStream(buffer.AsMemory(start, read - start), body);
        }
    }

    private static DurableStreamException BodyFailure(Exception ex, Uri url, string offset) => ex switch
    {
        DurableStreamException known => known,
        JsonException or InvalidDataException => new DurableStreamParseException($"Response body is not valid: {ex.Message}", url, offset, ex),
        _ => new DurableStreamNetworkException($"Reading the response body of {url.AbsolutePath} failed: {ex.Message}", url, ex, offset),
    };

    private static byte[] Concat(IReadOnlyList<byte[]> payloads)
    {
        if (payloads.Count == 1) return payloads[0];
        var total = 0;
        foreach (var p in payloads) total += p.Length;
        var result = new byte[total];
        var at = 0;
        foreach (var p in payloads)
        {
            p.CopyTo(result, at);
            at += p.Length;
        }
        return result;
    }

    /// <summary>Joins per-event JSON arrays into one array (string-joining would give <c>[..][..]</c>).</summary>
    internal static byte[] MergeJsonArrays(IReadOnlyList<byte[]> payloads)
    {
        var writer = new ArrayBufferWriter<byte>();
        writer.Write("["u8);
        var first = true;
        foreach (var payload in payloads)
        {
            var inner = ArrayInterior(payload);
            if (inner.IsEmpty) continue;
            if (!first) writer.Write(","u8);
            writer.Write(inner);
            first = false;
        }
        writer.Write("]"u8);
        return writer.WrittenSpan.ToArray();
    }

    private static ReadOnlySpan<byte> ArrayInterior(ReadOnlySpan<byte> payload)
    {
        payload = payload.Trim(" \t\r\n"u8);
        if (payload.Length >= 2 && payload[0] == (byte)'[' && payload[^1] == (byte)']')
            return payload[1..^1].Trim(" \t\r\n"u8);
        return payload;
    }
}
