namespace DurableStreams.Generators.Model;

/// <summary>
/// What one <c>[DurableStream]</c> declaration asks for, reduced to strings so that two compilations of the
/// same declaration give equal values (and the pipeline stays cached). Type names are <c>global::</c>-qualified.
/// </summary>
/// <param name="HintName">The generated file's name, unique per message type.</param>
/// <param name="Namespace">The message type's namespace; empty for the global namespace.</param>
/// <param name="StreamClassName">The generated class's name.</param>
/// <param name="IsPublic">Whether the message type is visible outside its assembly (the class follows it).</param>
/// <param name="MessageType">The message type.</param>
/// <param name="Url">The stream's URL template.</param>
/// <param name="NamedJsonContext">The context named with <c>JsonContext = typeof(...)</c>, if any.</param>
/// <param name="JsonSubtypes">The subtypes a polymorphic message type declares with <c>[JsonDerivedType]</c>.</param>
internal sealed record StreamSpec(
    string HintName,
    string Namespace,
    string StreamClassName,
    bool IsPublic,
    string MessageType,
    UrlTemplate Url,
    string? NamedJsonContext,
    EquatableArray<string> JsonSubtypes);
