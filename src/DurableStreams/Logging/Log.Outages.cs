using Microsoft.Extensions.Logging;

namespace DurableStreams.Logging;

// An idempotent producer riding through a server outage: logged when it starts waiting, when it
// gets through again and when it gives up, not on every resend.
internal static partial class Log
{
    [LoggerMessage(EventId = 41, Level = LogLevel.Warning,
        Message = "Producer {ProducerId} on {Url} cannot reach the server ({Reason}); resending batch {Epoch}/{Seq} with the same numbers for up to {TimeoutSeconds} s")]
    public static partial void OutageWaiting(ILogger logger, string producerId, string url, string reason, long epoch, long seq, double timeoutSeconds);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information,
        Message = "Producer {ProducerId} on {Url} got batch {Epoch}/{Seq} through after an outage of {OutageSeconds} s")]
    public static partial void OutageRecovered(ILogger logger, string producerId, string url, long epoch, long seq, double outageSeconds);

    [LoggerMessage(EventId = 43, Level = LogLevel.Error,
        Message = "Producer {ProducerId} on {Url} gave up on batch {Epoch}/{Seq} after {OutageSeconds} s of outage (OutageRetryTimeout): {Reason}")]
    public static partial void OutageGaveUp(ILogger logger, string producerId, string url, long epoch, long seq, double outageSeconds, string reason);
}
