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
}
