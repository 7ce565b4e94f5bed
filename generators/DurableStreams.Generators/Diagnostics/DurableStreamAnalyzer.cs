using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DurableStreams.Generators.Model;
using DurableStreams.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DurableStreams.Generators.Diagnostics;

/// <summary>
/// Reports every problem with a <c>[DurableStream]</c> declaration. Kept out of the generator so that
/// diagnostics carry real source locations (and honour <c>#pragma</c>) without entering its cached pipeline.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DurableStreamAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.Streams;

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            var streamAttribute = start.Compilation.GetTypeByMetadataName(KnownTypeNames.DurableStreamAttribute);
            if (streamAttribute is null)
                return;

            var compilation = start.Compilation;
            var index = new Lazy<DeclarationIndex>(
                () => DeclarationIndex.Build(compilation, streamAttribute, start.CancellationToken),
                LazyThreadSafetyMode.ExecutionAndPublication);
            start.RegisterSymbolAction(symbol => AnalyzeType(symbol, streamAttribute, index), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol streamAttribute, Lazy<DeclarationIndex> index)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var attribute = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, streamAttribute));
        if (attribute is null)
            return;

        var declaration = StreamDeclarationParser.Parse(type, attribute, context.Compilation, context.CancellationToken);
        foreach (var diagnostic in declaration.Diagnostics)
            context.ReportDiagnostic(diagnostic);

        if (!declaration.NamesJsonContext)
            ReportIfUnlisted(context, type, attribute, index.Value);
        if (declaration.Url is { } url)
            ReportUrlClash(context, type, attribute, url, index.Value);
    }

    private static void ReportIfUnlisted(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData attribute, DeclarationIndex index)
    {
        // A generic or unreachable type already has its own error, and no context could help it.
        if (TypeAccess.IsOrIsInGeneric(type) || !TypeAccess.IsReachableFromGeneratedCode(type, context.Compilation)
            || JsonContextResolver.FirstListing(SymbolNames.FullyQualified(type), index.Contexts) is not null)
        {
            return;
        }

        // With exactly one context in the project, the code fix knows where the listing belongs.
        var only = index.ContextSymbols.Length == 1 ? index.ContextSymbols[0] : null;
        var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? type.Locations.FirstOrDefault();
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotInAnyJsonContext, location,
            DiagnosticProperties.ForMissingListing(type, only), SymbolNames.Qualified(type), type.Name));
    }

    private static void ReportUrlClash(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData attribute, UrlTemplate url, DeclarationIndex index)
    {
        var other = index.StreamsClaiming(UrlTemplateParser.ShapeOf(url), type)
            .OrderBy(static t => SymbolNames.Qualified(t), StringComparer.Ordinal)
            .FirstOrDefault();
        if (other is null)
            return;
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateStreamUrl,
            StreamDeclarationParser.TemplateLocation(attribute, context.CancellationToken),
            SymbolNames.Qualified(type), SymbolNames.Qualified(other), url.Text));
    }
}
