namespace DurableStreams.Generators.Model;

/// <summary>A stream declaration paired with the JSON context that will encode its messages: all the emitter needs.</summary>
/// <param name="Stream">The declaration.</param>
/// <param name="JsonContext">The context type, <c>global::</c>-qualified.</param>
internal sealed record StreamClassSpec(StreamSpec Stream, string JsonContext);
