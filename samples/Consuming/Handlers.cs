using DurableStreams.Consumers;

namespace Consuming;

/// <summary>The checkpointed consumers' handler, resolved from DI in a new scope for every message.</summary>
internal sealed class ConsumerHandler(Ledger ledger) : IStreamHandler<Order>
{
    public ValueTask HandleAsync(StreamMessage<Order> message, CancellationToken cancellationToken)
    {
        ledger.Record("consumer", message);
        return ValueTask.CompletedTask;
    }
}

/// <summary>The webhook receiver's handler (the <c>IStreamHandler&lt;Order&gt;</c> registered in DI).</summary>
internal sealed class WebhookHandler(Ledger ledger) : IStreamHandler<Order>
{
    public ValueTask HandleAsync(StreamMessage<Order> message, CancellationToken cancellationToken)
    {
        ledger.Record("webhook", message);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A pull-wake worker's handler: records which worker processed the message.</summary>
internal abstract class WorkerHandler(string worker, Ledger ledger) : IStreamHandler<Order>
{
    public ValueTask HandleAsync(StreamMessage<Order> message, CancellationToken cancellationToken)
    {
        ledger.Record(worker, message);
        return ValueTask.CompletedTask;
    }
}

/// <summary>worker-1's handler (each hosted worker resolves its own handler type from DI).</summary>
internal sealed class Worker1Handler(Ledger ledger) : WorkerHandler("worker-1", ledger);

/// <summary>worker-2's handler.</summary>
internal sealed class Worker2Handler(Ledger ledger) : WorkerHandler("worker-2", ledger);
