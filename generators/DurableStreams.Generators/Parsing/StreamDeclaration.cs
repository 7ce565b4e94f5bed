using System.Collections.Immutable;
using DurableStreams.Generators.Model;
using Microsoft.CodeAnalysis;

namespace DurableStreams.Generators.Parsing;

/// <summary>
/// The outcome of reading one <c>[DurableStream]</c> declaration: the spec to generate from (null when an
/// error was found) and the diagnostics. Only the analyzer reports the diagnostics; the generator keeps
/// the spec alone, so no <see cref="Location"/> enters its pipeline.
/// </summary>
internal sealed class StreamDeclaration(StreamSpec? spec, UrlTemplate? url, ImmutableArray<Diagnostic> diagnostics)
{
    public StreamSpec? Spec { get; } = spec;

    /// <summary>The parsed template, when it is valid (even if something else is wrong).</summary>
    public UrlTemplate? Url { get; } = url;

    public ImmutableArray<Diagnostic> Diagnostics { get; } = diagnostics;

    /// <summary>Whether the declaration names its JSON context rather than relying on discovery.</summary>
    public bool NamesJsonContext { get; init; }
}
