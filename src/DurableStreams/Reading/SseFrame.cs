namespace DurableStreams.Reading;

internal enum SseFrameKind : byte { Other, Data, Control }

/// <summary>One SSE event as the read session needs it: a data payload (decoded bytes) or a parsed control.</summary>
internal readonly record struct SseFrame(SseFrameKind Kind, byte[]? Payload, SseControl Control);
