using System.Text.Json.Nodes;

namespace DurableStreams.ConformanceAdapter.Protocol;

/// <summary>Maps client exceptions to the suite's error codes (ADAPTER-PROTOCOL.md §5).</summary>
internal static class ErrorMapping
{
    public static JsonObject ToResult(string commandType, Exception exception)
    {
        var status = (exception as DurableStreamException)?.Status is { } s ? (int)s : (int?)null;
        var code = exception switch
        {
            DurableStreamException ds => ds.Code switch
            {
                DurableStreamErrorCode.StreamClosed => "STREAM_CLOSED",
                DurableStreamErrorCode.NotFound => "NOT_FOUND",
                DurableStreamErrorCode.SequenceConflict => "SEQUENCE_CONFLICT",
                DurableStreamErrorCode.Conflict => "CONFLICT",
                DurableStreamErrorCode.InvalidOffset => "INVALID_OFFSET",
                DurableStreamErrorCode.Parse => "PARSE_ERROR",
                DurableStreamErrorCode.Network => "NETWORK_ERROR",
                DurableStreamErrorCode.StreamConsumed => "INTERNAL_ERROR",
                // Another writer holds the producer's (id, epoch, seq): a conflict, though answered 204.
                DurableStreamErrorCode.ProducerEpochCollision => "CONFLICT",
                _ => status is null ? "INTERNAL_ERROR" : "UNEXPECTED_STATUS",
            },
            ArgumentException => "INVALID_ARGUMENT",
            NotSupportedException => "NOT_SUPPORTED",
            _ => "INTERNAL_ERROR",
        };
        return Results.Error(commandType, code, exception.Message, status);
    }
}
