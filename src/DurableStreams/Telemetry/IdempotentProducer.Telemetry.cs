namespace DurableStreams;

public sealed partial class IdempotentProducer
{
    /// <summary>The stream URL, for the producer gauges' tags.</summary>
    internal Uri Url => _stream.Url;

    /// <summary>Bytes not yet acknowledged and batches in flight, read under the producer's lock.</summary>
    internal (long BufferedBytes, long InFlight) TelemetrySnapshot()
    {
        lock (_gate) return (_bufferedBytes, _inFlight.Count);
    }
}
