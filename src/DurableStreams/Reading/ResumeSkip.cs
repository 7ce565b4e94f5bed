using System.Text.Json;
using DurableStreams.Http;

namespace DurableStreams.Reading;

/// <summary>
/// Applies an <see cref="Offset.Skip"/> to a read: the session requests the offset's token, and the first
/// <c>skip</c> JSON messages from there are dropped before anything reaches the caller, counted across
/// as many deliveries as the server splits them into. Exact because in JSON mode a delivery's body is an
/// array of whole messages and every offset is a message boundary: the messages after a token are the
/// same on every read, however the server groups them.
/// </summary>
/// <remarks>
/// A trimmed delivery keeps its start token and records how many messages were dropped from its front,
/// so the positions of the messages that remain (<see cref="JsonBatch{T}.PositionAfter"/>) stay exact.
/// Only the deliveries the skip reaches are read whole; every later one streams as usual.
/// </remarks>
internal sealed class ResumeSkip
{
    private readonly Offset _from;
    private long _remaining;

    private ResumeSkip(Offset from)
    {
        _from = from;
        _remaining = from.Skip;
    }

    /// <summary>Messages still to drop.</summary>
    public long Remaining => _remaining;

    /// <summary>The skip of a read from <paramref name="from"/>, or null when it has none.</summary>
    /// <exception cref="ArgumentException">The stream is known not to be a JSON stream.</exception>
    public static ResumeSkip? For(Offset from, string? knownContentType)
    {
        if (from.Skip == 0) return null;
        if (knownContentType is not null && !ProtocolNames.IsJsonContentType(knownContentType))
            throw NotJson(from, knownContentType);
        return new ResumeSkip(from);
    }

    /// <summary>
    /// The first delivery with messages left after the skip (trimmed), fetching further deliveries through
    /// <paramref name="next"/> while the skip is not used up. A body that fails before any of it was used
    /// is fetched again from the same position, as every read does.
    /// </summary>
    public async ValueTask<ReadBatch?> ApplyAsync(ReadSession session, ReadBatch? batch,
        Func<CancellationToken, ValueTask<ReadBatch?>> next, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (_remaining > 0)
        {
            if (batch is null) throw PastEnd(session);
            // An SSE-first read may not know the content type: its data events are then taken as JSON.
            if (session.ContentType is not null && !session.IsJson)
            {
                batch.Dispose();
                throw NotJson(_from, session.ContentType);
            }

            byte[] body;
            try
            {
                body = await BatchDecoder.ReadBytesAsync(batch, json: true, session.Url, cancellationToken).ConfigureAwait(false);
            }
            catch (DurableStreamNetworkException) when (batch.Before is not null && session.MayFetchAgain(failures))
            {
                batch.Dispose();
                await Task.Delay(session.Retry.Backoff(failures++, Random.Shared), session.Time, cancellationToken).ConfigureAwait(false);
                session.Rewind(batch);
                batch = await next(cancellationToken).ConfigureAwait(false);
                continue;
            }
            failures = 0;

            var (rest, dropped) = Drop(body, _remaining, session.Url, batch.StartOffset);
            _remaining -= dropped;
            if (_remaining > 0 && (batch.UpToDate || batch.Closed))
            {
                batch.Dispose();
                throw PastEnd(session);
            }
            if (_remaining > 0)
            {
                // The whole delivery was skipped: nothing of it reaches the caller.
                batch.Dispose();
                batch = await next(cancellationToken).ConfigureAwait(false);
                continue;
            }
            var trimmed = ReadBatch.Trimmed(batch, rest, dropped);
            batch.Dispose();
            return trimmed;
        }
        return batch;
    }

    /// <summary>
    /// Drops up to <paramref name="count"/> messages from the front of a JSON-mode body. Returns the
    /// others as one JSON array and how many were dropped (fewer than asked when the body holds fewer).
    /// </summary>
    internal static (byte[] Remainder, long Dropped) Drop(byte[] body, long count, Uri url, string offset)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read()) return ("[]"u8.ToArray(), 0); // empty body: no messages
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip(); // a bare value is one message (as in SSE data events)
                return ("[]"u8.ToArray(), 1);
            }

            long dropped = 0;
            while (true)
            {
                if (!reader.Read()) throw new JsonException("The JSON array is not closed.");
                if (reader.TokenType == JsonTokenType.EndArray) return ("[]"u8.ToArray(), dropped);
                if (dropped == count) break;
                reader.Skip();
                dropped++;
            }

            // The reader stands on the first message kept: the rest of the body, closing bracket included.
            var start = (int)reader.TokenStartIndex;
            var rest = new byte[body.Length - start + 1];
            rest[0] = (byte)'[';
            body.AsSpan(start).CopyTo(rest.AsSpan(1));
            return (rest, dropped);
        }
        catch (JsonException ex)
        {
            throw new DurableStreamParseException($"Response body is not valid JSON: {ex.Message}", url, offset, ex);
        }
    }

    /// <summary>A fork diverges at a token the server issued; a position inside a delivery is the client's own.</summary>
    /// <exception cref="ArgumentException"><paramref name="offset"/> has a skip.</exception>
    public static void RefuseInFork(Offset? offset, string paramName)
    {
        if (offset is { Skip: > 0 } position)
            throw new ArgumentException(
                $"A fork offset must be a token the server issued; {position} skips {position.Skip} messages. " +
                "Fork at its token and set StreamFork.SubOffset to the skip, or fork at a delivery's NextOffset.", paramName);
    }

    private DurableStreamException PastEnd(ReadSession session) =>
        new($"The position {_from} is past the end of the stream: {_remaining} of its {_from.Skip} messages to skip " +
            $"after '{_from.Value}' do not exist. A position is only valid for the stream that issued it.",
            DurableStreamErrorCode.InvalidOffset, url: session.Url, offset: _from);

    private static ArgumentException NotJson(Offset from, string? contentType) =>
        new($"The offset {from} skips {from.Skip} messages, which only JSON streams have; this stream is '{contentType}'. " +
            "Read it from the token alone.", "options");
}
