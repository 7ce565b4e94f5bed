using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DurableStreams.Generators.Diagnostics;
using DurableStreams.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DurableStreams.Generators.Parsing;

/// <summary>
/// Turns a class and its <c>[DurableState]</c> and <c>[StateCollection&lt;T&gt;]</c> attributes into a
/// <see cref="StateSpec"/>, checking everything the declaration alone can tell. Whether a discovered JSON context
/// lists each entity needs the whole compilation; the generator and the analyzer each do that part.
/// </summary>
internal static class StateDeclarationParser
{
    public static StateDeclaration Parse(INamedTypeSymbol type, AttributeData attribute, Compilation compilation, CancellationToken cancellationToken)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var identifier = (syntax?.Parent?.Parent as TypeDeclarationSyntax)?.Identifier.GetLocation() ?? type.Locations.FirstOrDefault();

        CheckClassShape(type, identifier, cancellationToken, diagnostics);

        cancellationToken.ThrowIfCancellationRequested();
        var url = UrlTemplateReader.Read(attribute, syntax, GeneratedNames.IsReservedStateParameter, diagnostics);

        cancellationToken.ThrowIfCancellationRequested();
        var (context, namesContext) = ReadNamedContext(attribute, syntax, diagnostics);

        cancellationToken.ThrowIfCancellationRequested();
        var (collections, complete, unnamed) = ReadCollections(type, compilation, namesContext ? context : null, cancellationToken, diagnostics);

        // An unresolved JsonContext or entity type is a compiler error already; generate nothing rather than guess.
        var spec = diagnostics.Count == 0 && url is not null && complete && (context is not null || !namesContext)
            ? new StateSpec(
                HintName: SymbolNames.Qualified(type) + ".DurableState.g.cs",
                Namespace: type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString(),
                ContainingTypes: ContainingTypes(type).ToEquatableArray(),
                ClassName: type.Name,
                Accessibility: SyntaxFacts.GetText(type.DeclaredAccessibility),
                Url: url,
                NamedJsonContext: context is null ? null : SymbolNames.FullyQualified(context),
                Collections: collections.ToEquatableArray())
            : null;
        return new StateDeclaration(spec, diagnostics.ToImmutable(), namesContext ? [] : unnamed);
    }

    private static void CheckClassShape(INamedTypeSymbol type, Location? identifier,
        CancellationToken cancellationToken, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var name = SymbolNames.Qualified(type);
        if (TypeAccess.IsOrIsInGeneric(type))
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.GenericStateClass, identifier, name));

        var kind = type.IsStatic ? "static" : type.IsAbstract ? "abstract" : type.IsRecord ? "a record" : type.IsFileLocal ? "file-local" : null;
        if (kind is not null)
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedStateClassKind, identifier, name, kind));

        for (var current = type; current is not null; current = current.ContainingType)
        {
            var partial = current.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>()
                .All(static d => d.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!partial)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.StateClassNotPartial, identifier, name));
                break;
            }
        }

        if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType && !SymbolNames.Is(baseType, KnownTypeNames.DurableState)
            && baseType.TypeKind != TypeKind.Error && !type.IsRecord && !type.IsStatic)
        {
            var location = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>()
                .Select(d => d.BaseList?.Types.FirstOrDefault()).FirstOrDefault(t => t is not null)?.GetLocation() ?? identifier;
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.StateClassHasBaseClass, location, name, SymbolNames.Qualified(baseType)));
        }
    }

    private static (INamedTypeSymbol? Context, bool Named) ReadNamedContext(AttributeData attribute, AttributeSyntax? syntax,
        ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var named = attribute.NamedArguments.FirstOrDefault(static a => a.Key == KnownTypeNames.DurableStateAttributeJsonContext);
        if (named.Key is null || named.Value.Value is not INamedTypeSymbol context)
            return (null, false);
        if (context.TypeKind == TypeKind.Error)
            return (null, true);

        var location = syntax?.ArgumentList?.Arguments
            .FirstOrDefault(static a => a.NameEquals?.Name.Identifier.ValueText == KnownTypeNames.DurableStateAttributeJsonContext)
            ?.Expression.GetLocation();
        var contextName = SymbolNames.Qualified(context);

        // The generated part sits next to the declaration, so any context the attribute can name, it can use
        // (a private one in the same containing type included): no DSG012 here.
        if (!JsonContextReader.IsJsonSerializerContext(context))
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.JsonContextNotAContext, location, contextName));
        return (context, true);
    }

    private static (List<StateCollectionSpec> Collections, bool Complete, ImmutableArray<(INamedTypeSymbol, Location?)> Unnamed) ReadCollections(
        INamedTypeSymbol type, Compilation compilation, INamedTypeSymbol? namedContext, CancellationToken cancellationToken,
        ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var collections = new List<StateCollectionSpec>();
        var unnamed = ImmutableArray.CreateBuilder<(INamedTypeSymbol, Location?)>();
        var complete = true;
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        var entities = new Dictionary<INamedTypeSymbol, string>(SymbolEqualityComparer.Default);
        var protocolTypes = new Dictionary<string, INamedTypeSymbol>(System.StringComparer.Ordinal);
        var reserved = ReservedMemberNames(type, compilation);
        var stateName = SymbolNames.Qualified(type);

        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is not { IsGenericType: true } attributeClass
                || !SymbolNames.IsDefinition(attributeClass.OriginalDefinition, KnownTypeNames.StateCollectionAttribute))
            {
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            var entityLocation = TypeArgument(syntax)?.GetLocation() ?? syntax?.GetLocation();
            var nameLocation = syntax?.ArgumentList?.Arguments.FirstOrDefault()?.Expression.GetLocation() ?? syntax?.GetLocation();
            if (attributeClass.TypeArguments[0].TypeKind == TypeKind.Error || attribute.ConstructorArguments is not [{ Value: var nameValue }])
            {
                complete = false; // already a compiler error
                continue;
            }
            if (attributeClass.TypeArguments[0] is not INamedTypeSymbol entity)
            {
                // An array, pointer or type parameter cannot carry [StateEntity].
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.CollectionEntityNotStateEntity, entityLocation,
                    attributeClass.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat), nameValue as string ?? ""));
                continue;
            }

            var name = nameValue as string;
            if (name is null || !SyntaxFacts.IsValidIdentifier(name))
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.InvalidCollectionName, nameLocation, name ?? ""));
            else if (reserved.Contains(name))
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.CollectionNameCollides, nameLocation, name, stateName));
            else if (!names.Add(name))
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.CollectionNameUsedTwice, nameLocation, stateName, name));

            if (entities.TryGetValue(entity, out var firstName))
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.EntityListedTwice, entityLocation, stateName, SymbolNames.Qualified(entity), firstName));
                continue;
            }
            entities[entity] = name ?? "";

            if (StateEntityReader.EntityAttribute(entity) is not { } entityAttribute)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.CollectionEntityNotStateEntity, entityLocation, SymbolNames.Qualified(entity), name ?? ""));
                continue;
            }

            if (TypeAccess.IsPublic(type) && !TypeAccess.IsPublic(entity))
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.EntityLessAccessibleThanState, entityLocation, stateName, SymbolNames.Qualified(entity), name ?? ""));

            if (namedContext is not null && JsonContextReader.IsJsonSerializerContext(namedContext) && !JsonContextReader.Lists(namedContext, entity))
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.EntityNotInNamedJsonContext, entityLocation,
                    DiagnosticProperties.ForMissingListing(entity, namedContext), SymbolNames.Qualified(entity), SymbolNames.Qualified(namedContext), entity.Name));
            }
            else if (namedContext is null)
            {
                unnamed.Add((entity, entityLocation));
            }

            // The entity's own problems are reported on the entity (DSG013-DSG017, DSG031); here they only stop generation.
            // An entity from a referenced assembly has no source here, so its problems are reported on the collection.
            var fromMetadata = entity.DeclaringSyntaxReferences.IsEmpty;
            var (info, entityDiagnostics) = StateEntityReader.Read(entity, entityAttribute, cancellationToken, fromMetadata ? entityLocation : null);
            if (fromMetadata)
                diagnostics.AddRange(entityDiagnostics);
            if (info is null)
            {
                complete = false;
                continue;
            }
            if (protocolTypes.TryGetValue(info.ProtocolType, out var other))
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.ProtocolTypeUsedTwice, entityLocation,
                    SymbolNames.Qualified(other), SymbolNames.Qualified(entity), info.ProtocolType, stateName));
                continue;
            }
            protocolTypes[info.ProtocolType] = entity;
            collections.Add(new StateCollectionSpec(name ?? "", SymbolNames.FullyQualified(entity), info.ProtocolType, info.KeyType, info.KeyMember));
        }
        return (collections, complete, unnamed.ToImmutable());
    }

    // The members a collection property would clash with: the generated statics, the class's own name (a member
    // may not share it), and whatever the class inherits from DurableState and object.
    private static HashSet<string> ReservedMemberNames(INamedTypeSymbol type, Compilation compilation)
    {
        var reserved = new HashSet<string>(GeneratedNames.StateClassMembers, System.StringComparer.Ordinal) { type.Name };
        var start = compilation.GetTypeByMetadataName(KnownTypeNames.DurableState) ?? compilation.GetSpecialType(SpecialType.System_Object);
        for (INamedTypeSymbol? current = start; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member.DeclaredAccessibility != Accessibility.Private && member.CanBeReferencedByName)
                    reserved.Add(member.Name);
            }
        }
        reserved.Add("Finalize");
        return reserved;
    }

    private static IEnumerable<string> ContainingTypes(INamedTypeSymbol type)
    {
        var declarations = new Stack<string>();
        for (var current = type.ContainingType; current is not null; current = current.ContainingType)
        {
            var keyword = (current.IsRecord, current.TypeKind) switch
            {
                (true, TypeKind.Struct) => "record struct",
                (true, _) => "record",
                (false, TypeKind.Struct) => "struct",
                (false, TypeKind.Interface) => "interface",
                _ => "class",
            };
            declarations.Push($"partial {keyword} {current.Name}");
        }
        return declarations;
    }

    private static TypeSyntax? TypeArgument(AttributeSyntax? syntax) => syntax?.Name switch
    {
        GenericNameSyntax generic => generic.TypeArgumentList.Arguments.FirstOrDefault(),
        QualifiedNameSyntax { Right: GenericNameSyntax generic } => generic.TypeArgumentList.Arguments.FirstOrDefault(),
        AliasQualifiedNameSyntax { Name: GenericNameSyntax generic } => generic.TypeArgumentList.Arguments.FirstOrDefault(),
        _ => null,
    };
}
