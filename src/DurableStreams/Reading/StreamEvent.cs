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
/// A read that starts at <see cref="Offset.Now"/> with <see cref="ReadOptions.InitialCatchUp"/> off gets its
/// first delivery without knowing where it started; that delivery's messages carry <see cref="NextOffset"/>
/// as their <see cref="Position"/>. Keep the default initial catch-up for exact positions from the first message.
/// </remarks>
public readonly record struct StreamEvent<T>(T Data, Offset Position, Offset NextOffset, bool UpToDate, bool StreamClosed);
