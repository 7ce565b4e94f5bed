using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DurableStreams.Generators.Model;
using DurableStreams.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace DurableStreams.Generators.Diagnostics;

/// <summary>
/// What the analyzer needs to know about the whole compilation: its JSON contexts (to tell whether a
/// message type is listed anywhere) and the URL each <c>[DurableStream]</c> type claims (to find clashes).
/// Built once per compilation, on first use.
/// </summary>
internal sealed class DeclarationIndex
{
    private readonly Dictionary<string, List<INamedTypeSymbol>> _streamsByUrlShape;

    private DeclarationIndex(ImmutableArray<(JsonContextSpec Spec, INamedTypeSymbol Symbol)> contexts,
        Dictionary<string, List<INamedTypeSymbol>> streamsByUrlShape)
    {
        ContextSymbols = contexts.Select(static c => c.Symbol).ToImmutableArray();
        Contexts = contexts.Select(static c => c.Spec).ToEquatableArray();
        _streamsByUrlShape = streamsByUrlShape;
    }

    /// <summary>The compilation's reachable contexts, ordered by name (the order the generator picks in).</summary>
    public EquatableArray<JsonContextSpec> Contexts { get; }

    /// <summary>The symbols of <see cref="Contexts"/>, in the same order.</summary>
    public ImmutableArray<INamedTypeSymbol> ContextSymbols { get; }

    /// <summary>The other stream types whose template addresses the same URLs as <paramref name="shape"/>.</summary>
    public IEnumerable<INamedTypeSymbol> StreamsClaiming(string shape, INamedTypeSymbol except) =>
        _streamsByUrlShape.TryGetValue(shape, out var types)
            ? types.Where(t => !SymbolEqualityComparer.Default.Equals(t, except))
            : [];

    public static DeclarationIndex Build(Compilation compilation, INamedTypeSymbol? streamAttribute, CancellationToken cancellationToken)
    {
        var contexts = new List<(JsonContextSpec Spec, INamedTypeSymbol Symbol)>();
        var streams = new Dictionary<string, List<INamedTypeSymbol>>();
        foreach (var type in AllTypes(compilation.Assembly.GlobalNamespace, cancellationToken))
        {
            if (JsonContextReader.Read(type, compilation, cancellationToken) is { } context)
                contexts.Add((context, type));

            var attribute = streamAttribute is null ? null : type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, streamAttribute));
            if (attribute?.ConstructorArguments is [{ Value: string text }]
                && UrlTemplateParser.Parse(text).Template is { } template)
            {
                var shape = UrlTemplateParser.ShapeOf(template);
                if (!streams.TryGetValue(shape, out var claimants))
                    streams[shape] = claimants = [];
                claimants.Add(type);
            }
        }

        var ordered = contexts.OrderBy(static c => c.Spec.TypeName, System.StringComparer.Ordinal).ToImmutableArray();
        return new DeclarationIndex(ordered, streams);
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol root, CancellationToken cancellationToken)
    {
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = pending.Pop();
            if (current is INamedTypeSymbol type)
                yield return type;
            foreach (var member in current is INamespaceSymbol ns ? ns.GetMembers().Cast<INamespaceOrTypeSymbol>() : ((INamedTypeSymbol)current).GetTypeMembers())
                pending.Push(member);
        }
    }
}
