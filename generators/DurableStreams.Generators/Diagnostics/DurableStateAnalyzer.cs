using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DurableStreams.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DurableStreams.Generators.Diagnostics;

/// <summary>
/// Reports every problem with <c>[StateEntity]</c> types and <c>[DurableState]</c> classes, at their source
/// locations; the generator emits nothing for a declaration with a problem.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DurableStateAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        [.. DiagnosticDescriptors.States, .. DiagnosticDescriptors.SharedWithStates];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            var stateAttribute = start.Compilation.GetTypeByMetadataName(KnownTypeNames.DurableStateAttribute);
            var entityAttribute = start.Compilation.GetTypeByMetadataName(KnownTypeNames.StateEntityAttribute);
            if (stateAttribute is null || entityAttribute is null)
                return;

            var compilation = start.Compilation;
            var index = new Lazy<DeclarationIndex>(
                () => DeclarationIndex.Build(compilation, streamAttribute: null, start.CancellationToken),
                LazyThreadSafetyMode.ExecutionAndPublication);
            start.RegisterSymbolAction(symbol => AnalyzeType(symbol, stateAttribute, entityAttribute, index), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol stateAttribute, INamedTypeSymbol entityAttribute,
        Lazy<DeclarationIndex> index)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var hasState = false;
        AttributeData? firstCollection = null;
        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is { IsGenericType: true } generic
                && SymbolNames.IsDefinition(generic.OriginalDefinition, KnownTypeNames.StateCollectionAttribute))
            {
                firstCollection ??= attribute;
            }

            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, entityAttribute))
            {
                foreach (var diagnostic in StateEntityReader.Read(type, attribute, context.CancellationToken).Diagnostics)
                    context.ReportDiagnostic(diagnostic);
            }
            else if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, stateAttribute))
            {
                hasState = true;
                var declaration = StateDeclarationParser.Parse(type, attribute, context.Compilation, context.CancellationToken);
                foreach (var diagnostic in declaration.Diagnostics)
                    context.ReportDiagnostic(diagnostic);
                foreach (var (entity, location) in declaration.UnnamedContextEntities)
                    ReportIfUnlisted(context, entity, location, index.Value);
            }
        }

        if (!hasState && firstCollection?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() is { } stray)
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CollectionWithoutState, stray, SymbolNames.Qualified(type)));
    }

    private static void ReportIfUnlisted(SymbolAnalysisContext context, INamedTypeSymbol entity, Location? location, DeclarationIndex index)
    {
        if (JsonContextResolver.FirstListing(SymbolNames.FullyQualified(entity), index.Contexts) is not null)
            return;

        // With exactly one context in the project, the code fix knows where the listing belongs.
        var only = index.ContextSymbols.Length == 1 ? index.ContextSymbols[0] : null;
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.EntityNotInAnyJsonContext, location,
            DiagnosticProperties.ForMissingListing(entity, only), SymbolNames.Qualified(entity), entity.Name));
    }
}
