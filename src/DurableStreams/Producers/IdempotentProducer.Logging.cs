using DurableStreams.Logging;
using DurableStreams.Producers;

namespace DurableStreams;

// What the producer logs of its own (the HTTP layer logs each request and retry): a batch overtaken by
// a later one, and the failure that stops the producer, with its exception, once.
public sealed partial class IdempotentProducer
{
    private void LogReordered(ProducerBatch batch, long? expectedSeq) =>
        Log.ProducerBatchReordered(_client.Http.Logger, ProducerId, _stream.Url.AbsolutePath, batch.Epoch, batch.Seq, expectedSeq);

    /// <summary>Logs the failure that stops the producer (event 44); returns false, so it can serve as an exception filter.</summary>
    private bool LogFailed(ProducerBatch batch, Exception error)
    {
        Log.ProducerFailed(_client.Http.Logger, ProducerId, _stream.Url.AbsolutePath, batch.Epoch, batch.Seq, Log.ErrorType(error), error.Message, error);
        return false;
    }
}
