namespace DurableStreams.Writing;

/// <summary>
/// A random producer identity a stream handle tags its batched appends with, so that a resend after
/// a lost response is deduplicated by the server instead of stored twice. Only one POST is in flight
/// per handle, so sequence numbers arrive in order.
/// </summary>
internal sealed class ImplicitProducer
{
    public string Id { get; } = "ds-dotnet-" + Guid.NewGuid().ToString("N");
    public long Epoch { get; private set; }
    public long Seq { get; private set; }

    /// <summary>The server stored the batch: the next one takes the next number.</summary>
    public void Accepted() => Seq++;

    /// <summary>
    /// The outcome is unknown (the batch may have landed): start a new epoch, so a later batch can
    /// never be mistaken for a duplicate of it.
    /// </summary>
    public void Restart(long? serverEpoch = null)
    {
        Epoch = Math.Max(Epoch, serverEpoch ?? Epoch) + 1;
        Seq = 0;
    }
}
