using System.Collections.Immutable;
using DurableStreams.Generators.Model;
using Microsoft.CodeAnalysis;

namespace DurableStreams.Generators.Parsing;

/// <summary>
/// The outcome of reading one <c>[DurableState]</c> declaration: the spec to generate from (null when an error
/// was found, or an entity is invalid) and the diagnostics, which only the analyzer reports.
/// </summary>
/// <param name="Spec">What to generate, or null.</param>
/// <param name="Diagnostics">The problems found in the declaration itself.</param>
/// <param name="UnnamedContextEntities">
/// The entities (and where their collection is declared) whose JSON context is discovered: without a named
/// context the analyzer checks that some context lists each one.
/// </param>
internal sealed record StateDeclaration(
    StateSpec? Spec,
    ImmutableArray<Diagnostic> Diagnostics,
    ImmutableArray<(INamedTypeSymbol Entity, Location? Location)> UnnamedContextEntities);
