using System.Reflection;

namespace DurableStreams.FaultTests.Infrastructure;

/// <summary>
/// The exact per-event resume position, <c>StreamEvent&lt;T&gt;.Position</c>, read through reflection until the
/// client has it (then the scenarios use <c>e.Position</c> directly). Without it the per-event cases fail.
/// </summary>
public static class EventPosition
{
    public static Offset Of<T>(StreamEvent<T> e)
    {
        var property = typeof(StreamEvent<T>).GetProperty("Position", BindingFlags.Public | BindingFlags.Instance)
            ?? throw new NotSupportedException("StreamEvent<T>.Position does not exist yet: the per-event resume position is missing.");
        return (Offset)property.GetValue(e)!;
    }

    /// <summary><c>JsonBatch&lt;T&gt;.PositionAfter(index)</c>: the exact position after one item of a batch.</summary>
    public static Offset After<T>(JsonBatch<T> batch, int index)
    {
        var method = typeof(JsonBatch<T>).GetMethod("PositionAfter", BindingFlags.Public | BindingFlags.Instance, [typeof(int)])
            ?? throw new NotSupportedException("JsonBatch<T>.PositionAfter does not exist yet: the per-item resume position is missing.");
        return (Offset)method.Invoke(batch, [index])!;
    }
}
