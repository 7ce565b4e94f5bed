using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DurableStreams.Generators.Diagnostics;
using DurableStreams.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DurableStreams.Generators.Parsing;

/// <summary>
/// Turns a type and its <c>[DurableStream]</c> attribute into a <see cref="StreamSpec"/>, checking
/// everything that can be checked from the declaration alone. Discovering the JSON context and finding
/// URL clashes need the whole compilation; the generator and the analyzer each do that part.
/// </summary>
internal static class StreamDeclarationParser
{
    public static StreamDeclaration Parse(INamedTypeSymbol type, AttributeData attribute, Compilation compilation, CancellationToken cancellationToken)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var identifier = (syntax?.Parent?.Parent as BaseTypeDeclarationSyntax)?.Identifier.GetLocation()
            ?? type.Locations.FirstOrDefault();
        var streamClassName = StreamClassName(type);

        if (TypeAccess.IsOrIsInGeneric(type))
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.GenericMessageType, identifier, SymbolNames.Qualified(type)));
        else if (!TypeAccess.IsReachableFromGeneratedCode(type, compilation))
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.InaccessibleMessageType, identifier, SymbolNames.Qualified(type), streamClassName));

        cancellationToken.ThrowIfCancellationRequested();
        var url = UrlTemplateReader.Read(attribute, syntax, GeneratedNames.IsReservedParameter, diagnostics);

        cancellationToken.ThrowIfCancellationRequested();
        var (namedContext, namesContext) = ReadNamedContext(type, attribute, syntax, compilation, streamClassName, diagnostics);

        // An unresolved JsonContext type is a compiler error already; generate nothing rather than guess.
        var spec = diagnostics.Count == 0 && url is not null && (namedContext is not null || !namesContext)
            ? new StreamSpec(
                HintName: SymbolNames.Qualified(type) + ".DurableStream.g.cs",
                Namespace: type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString(),
                StreamClassName: streamClassName,
                IsPublic: TypeAccess.IsPublic(type),
                MessageType: SymbolNames.FullyQualified(type),
                Url: url,
                NamedJsonContext: namedContext,
                JsonSubtypes: JsonSubtypes(type).ToEquatableArray())
            : null;
        return new StreamDeclaration(spec, url, diagnostics.ToImmutable()) { NamesJsonContext = namesContext };
    }

    /// <summary>The attribute's template argument, for diagnostics about the whole template.</summary>
    public static Location? TemplateLocation(AttributeData attribute, CancellationToken cancellationToken) =>
        UrlTemplateReader.TemplateArgument(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax)?.GetLocation();

    private static string StreamClassName(INamedTypeSymbol type)
    {
        var names = new Stack<string>();
        for (var current = type; current is not null; current = current.ContainingType)
            names.Push(current.Name);
        return string.Concat(names) + GeneratedNames.StreamClassSuffix;
    }

    private static (string? Context, bool Named) ReadNamedContext(INamedTypeSymbol type, AttributeData attribute, AttributeSyntax? syntax,
        Compilation compilation, string streamClassName, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var named = attribute.NamedArguments.FirstOrDefault(static a => a.Key == KnownTypeNames.DurableStreamAttributeJsonContext);
        if (named.Key is null || named.Value.Value is not INamedTypeSymbol context)
            return (null, false);
        if (context.TypeKind == TypeKind.Error)
            return (null, true);

        var location = syntax?.ArgumentList?.Arguments
            .FirstOrDefault(static a => a.NameEquals?.Name.Identifier.ValueText == KnownTypeNames.DurableStreamAttributeJsonContext)
            ?.Expression.GetLocation();
        var contextName = SymbolNames.Qualified(context);
        if (!JsonContextReader.IsJsonSerializerContext(context))
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.JsonContextNotAContext, location, contextName));
        else if (!TypeAccess.IsReachableFromGeneratedCode(context, compilation))
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.InaccessibleJsonContext, location, contextName, streamClassName));
        else if (!JsonContextReader.Lists(context, type))
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.NotInNamedJsonContext, location,
                DiagnosticProperties.ForMissingListing(type, context), SymbolNames.Qualified(type), contextName, type.Name));
        return (SymbolNames.FullyQualified(context), true);
    }

    private static IEnumerable<string> JsonSubtypes(INamedTypeSymbol type) =>
        type.GetAttributes()
            .Where(static a => SymbolNames.Is(a.AttributeClass, KnownTypeNames.JsonDerivedTypeAttribute))
            .Select(static a => a.ConstructorArguments.FirstOrDefault().Value)
            .OfType<ITypeSymbol>()
            .Select(SymbolNames.FullyQualified);
}
