namespace DurableStreams;

/// <summary>One typed message with two resume positions: exactly after it, and after the delivery that carried it.</summary>
/// <param name="Data">The message.</param>
/// <param name="Position">
/// The offset that resumes exactly after this message: save it once the message is processed, and a read
/// from it starts with the next message, even when the read stopped in the middle of a delivery. Inside a
/// delivery it is the delivery's start token plus how many of its messages to skip (<see cref="Offset.Skip"/>,
/// text form <c>token,skip</c>); for the last message of a delivery it equals <see cref="NextOffset"/>.
/// </param>
/// <param name="NextOffset">
/// The offset after the whole delivery that carried this message (the server's <c>Stream-Next-Offset</c>).
/// Resuming from it skips the rest of that delivery: save it per delivery (after its last message, as
/// <see cref="JsonBatch{T}.Offset"/>), never per message.
/// </param>
/// <param name="UpToDate">Whether the reader had caught up with the stream when the delivery was produced.</param>
/// <param name="StreamClosed">Whether the stream is closed and this delivery ends it.</param>
/// <remarks>
/// A read that starts at <see cref="Offset.Now"/> without a catch-up GET (<see cref="ReadOptions.InitialCatchUp"/> off,
/// or an SSE read, which skips it from <see cref="Offset.Now"/>) may get a first delivery without knowing where it
/// started, when data arrives before the server's first answer; that delivery's messages carry <see cref="NextOffset"/>
/// as their <see cref="Position"/>. For exact positions from the first message, start from an offset or use long-poll
/// with the default initial catch-up.
/// </remarks>
public readonly record struct StreamEvent<T>(T Data, Offset Position, Offset NextOffset, bool UpToDate, bool StreamClosed);
