using System.Buffers;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using DurableStreams.Http;
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
                throw BodyFailure(ex, url, batch.StartOffset);
            }
            catch (Exception ex) when (CancellationRace.Lost(ex, cancellationToken))
            {
                throw CancellationRace.Cancelled(ex, cancellationToken);
            }
        }
        var payloads = batch.Payloads
            ?? throw new InvalidOperationException("An SSE delivery decoded ahead into messages has no bytes to read.");
        return json ? MergeJsonArrays(payloads) : Concat(payloads);
    }

    /// <summary>
    /// The JSON messages of the batch, one array level flattened. Small bodies are read whole and
    /// decoded in one pass; large ones are decoded as they arrive (in slices on more than one core when
    /// <paramref name="parallel"/> allows), never buffered whole. The caller disposes the enumerator.
    /// </summary>
    public static async ValueTask<IAsyncEnumerator<T>> OpenItemsAsync<T>(ReadBatch batch, JsonTypeInfo<T> typeInfo, Uri url, bool parallel,
        CancellationToken cancellationToken)
    {
        if (batch.Decoded is { } decoded)
            return new ListItemEnumerator<T>(SseDecodedDelivery.ItemsOf(decoded, typeInfo, url, batch.StartOffset));
        if (batch.Payloads is { } payloads)
            return await SsePayloadDecoder.DecodeAsync(payloads, typeInfo, url, batch.StartOffset, parallel).ConfigureAwait(false);

        var content = batch.Response!.Content;
        Stream body;
        try
        {
            body = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw BodyFailure(ex, url, batch.StartOffset);
        }
        catch (Exception ex) when (CancellationRace.Lost(ex, cancellationToken))
        {
            throw CancellationRace.Cancelled(ex, cancellationToken);
        }

        var length = content.Headers.ContentLength;
        if (length <= SmallBodyBytes)
            return new ListItemEnumerator<T>(await ReadSmallBodyAsync(body, (int)length.Value, typeInfo, url, batch.StartOffset, cancellationToken).ConfigureAwait(false));
        if (parallel && SlicedBodyDecoder.Suits(length, typeInfo.Options))
            return await SlicedBodyDecoder.OpenAsync(body, length, typeInfo, url, batch.StartOffset, cancellationToken).ConfigureAwait(false);

        var probe = ArrayPool<byte>.Shared.Rent(ProbeBytes);
        Stream? rest;
        try
        {
            rest = await SkipToContentAsync(body, probe, url, batch.StartOffset, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(probe);
            throw;
        }
        if (rest is null)
        {
            ArrayPool<byte>.Shared.Return(probe);
            return new ListItemEnumerator<T>([]); // empty body: no messages
        }
        var decoder = JsonSerializer.DeserializeAsyncEnumerable(rest, typeInfo, cancellationToken).GetAsyncEnumerator(cancellationToken);
        return new BodyItemEnumerator<T>(decoder, probe, url, batch.StartOffset, cancellationToken);
    }

    /// <summary>The JSON messages of the batch as a sequence (see <see cref="OpenItemsAsync"/>).</summary>
    public static async IAsyncEnumerable<T> ReadItemsAsync<T>(ReadBatch batch, JsonTypeInfo<T> typeInfo, Uri url, bool parallel,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var items = await OpenItemsAsync(batch, typeInfo, url, parallel, cancellationToken).ConfigureAwait(false);
        await using (items.ConfigureAwait(false))
        {
            while (await items.MoveNextAsync().ConfigureAwait(false)) yield return items.Current;
        }
    }

    // Enough to see past the whitespace a body may start with; the rest streams from the connection.
    private const int ProbeBytes = 256;

    // Up to this size a body is read whole into a pooled buffer and decoded in one synchronous pass,
    // which measured faster than the incremental decoder; from about 1 MiB the growing result list
    // lands on the large-object heap and streaming wins (bench/RESULTS.md, decoding).
    internal const int SmallBodyBytes = 256 * 1024;

    private static async ValueTask<List<T>> ReadSmallBodyAsync<T>(Stream body, int length, JsonTypeInfo<T> typeInfo, Uri url, string offset,
        CancellationToken cancellationToken)
    {
        if (length == 0) return [];
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int read;
            try
            {
                read = await body.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw BodyFailure(ex, url, offset);
            }
            catch (Exception ex) when (CancellationRace.Lost(ex, cancellationToken))
            {
                throw CancellationRace.Cancelled(ex, cancellationToken);
            }
            if (read < length)
                throw BodyFailure(new IOException($"The response body ended after {read} of {length} bytes."), url, offset);
            return DecodeArray(buffer.AsSpan(0, length), typeInfo, url, offset);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The messages of a JSON-mode body held in memory (an array; whitespace alone means none).</summary>
    internal static List<T> DecodeArray<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo, Uri url, string offset)
    {
        json = json.Trim(" \t\r\n"u8);
        if (json.IsEmpty) return [];
        try
        {
            return JsonSerializer.Deserialize(json, JsonListInfo.For(typeInfo)) ?? [];
        }
        catch (JsonException ex)
        {
            throw BodyFailure(ex, url, offset);
        }
    }

    /// <summary>
    /// Appends the messages of one SSE data payload to <paramref name="items"/>: the elements of an array, or the one
    /// value; an empty payload has none. Throws <see cref="JsonException"/> when the payload is not one JSON value.
    /// </summary>
    internal static void ParsePayloadInto<T>(List<T> items, ReadOnlySpan<byte> payload, JsonTypeInfo<T> typeInfo)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read()) return; // empty event: no messages
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            items.Add(JsonSerializer.Deserialize(payload, typeInfo)!);
            return;
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            items.Add(JsonSerializer.Deserialize(ref reader, typeInfo)!);
        if (reader.TokenType != JsonTokenType.EndArray || reader.Read())
            throw new JsonException("Trailing data after the JSON array.");
    }

    internal static DurableStreamParseException PayloadFailure(JsonException ex, Uri url, string offset) =>
        new($"Invalid JSON in SSE data event: {ex.Message}", url, offset, ex);

    /// <summary>Reads up to the first non-whitespace byte; null when the body is empty.</summary>
    private static async ValueTask<Stream?> SkipToContentAsync(Stream body, byte[] buffer, Uri url, string offset, CancellationToken cancellationToken)
    {
        while (true)
        {
            int read;
            try
            {
                read = await body.ReadAsync(buffer.AsMemory(0, ProbeBytes), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw BodyFailure(ex, url, offset);
            }
            catch (Exception ex) when (CancellationRace.Lost(ex, cancellationToken))
            {
                throw CancellationRace.Cancelled(ex, cancellationToken);
            }
            if (read == 0) return null;
            var start = 0;
            while (start < read && buffer[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') start++;
            if (start < read) return new PrefixedStream(buffer.AsMemory(start, read - start), body);
        }
    }

    internal static DurableStreamException BodyFailure(Exception ex, Uri url, string offset) => ex switch
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
