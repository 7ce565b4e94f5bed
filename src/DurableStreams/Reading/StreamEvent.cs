namespace DurableStreams;

/// <summary>One typed message with the position of the delivery that carried it.</summary>
public readonly record struct StreamEvent<T>(T Data, Offset NextOffset, bool UpToDate, bool StreamClosed);
