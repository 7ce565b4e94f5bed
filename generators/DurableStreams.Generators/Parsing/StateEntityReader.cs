using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using DurableStreams.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DurableStreams.Generators.Parsing;

/// <summary>What a valid <c>[StateEntity]</c> type contributes to a state class.</summary>
/// <param name="ProtocolType">Its protocol <c>type</c>.</param>
/// <param name="KeyType">The key's type, <c>global::</c>-qualified (keywords for primitives).</param>
/// <param name="KeyMember">The key property's name.</param>
internal sealed record StateEntityInfo(string ProtocolType, string KeyType, string KeyMember);

/// <summary>Reads a <c>[StateEntity]</c> type: its protocol type and its one supported <c>[StateKey]</c> (DSG013-DSG017, DSG031).</summary>
internal static class StateEntityReader
{
    /// <summary>The <c>[StateEntity]</c> attribute of <paramref name="type"/>, if any.</summary>
    public static AttributeData? EntityAttribute(INamedTypeSymbol type) =>
        type.GetAttributes().FirstOrDefault(static a => SymbolNames.Is(a.AttributeClass, KnownTypeNames.StateEntityAttribute));

    /// <summary>The entity's info, or null (with the reasons) when it is not a valid entity.</summary>
    /// <param name="type">The entity type.</param>
    /// <param name="attribute">Its <c>[StateEntity]</c>.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <param name="referencedFrom">
    /// For an entity compiled into a referenced assembly: where the state uses it. Its problems are reported there (it
    /// has no source here), and its key getter must then be public.
    /// </param>
    public static (StateEntityInfo? Info, ImmutableArray<Diagnostic> Diagnostics) Read(INamedTypeSymbol type, AttributeData attribute,
        CancellationToken cancellationToken, Location? referencedFrom = null)
    {
        var diagnostics = new RelocatingBuilder(referencedFrom);
        var protocolType = attribute.ConstructorArguments is [{ Value: var value }] ? value as string : null;
        if (attribute.ConstructorArguments.Length == 1 && string.IsNullOrWhiteSpace(protocolType))
        {
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            var location = syntax?.ArgumentList?.Arguments.FirstOrDefault()?.Expression.GetLocation() ?? type.Locations.FirstOrDefault();
            diagnostics.Add(DiagnosticDescriptors.BlankStateEntityType, location, SymbolNames.Qualified(type));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var keys = Keys(type, diagnostics, cancellationToken).ToList();
        if (keys.Count == 0)
        {
            diagnostics.Add(DiagnosticDescriptors.StateEntityWithoutKey, Identifier(type, cancellationToken), SymbolNames.Qualified(type));
        }
        else
        {
            foreach (var extra in keys.Skip(1))
            {
                diagnostics.Add(DiagnosticDescriptors.DuplicateStateKey, extra.AttributeLocation,
                    SymbolNames.Qualified(type), keys[0].Property.Name, extra.Property.Name);
            }
            var key = keys[0].Property;
            if (!IsSupportedKeyType(key.Type))
            {
                diagnostics.Add(DiagnosticDescriptors.UnsupportedStateKeyType, keys[0].MemberLocation,
                    SymbolNames.Qualified(type) + "." + key.Name, key.Type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat));
            }
            if (!IsReadableByGeneratedCode(key, fromOtherAssembly: referencedFrom is not null))
                diagnostics.Add(DiagnosticDescriptors.UnreadableStateKey, keys[0].MemberLocation, SymbolNames.Qualified(type) + "." + key.Name);
        }

        var info = diagnostics.Count == 0 && protocolType is not null
            ? new StateEntityInfo(protocolType, SymbolNames.FullyQualified(keys[0].Property.Type.WithNullableAnnotation(NullableAnnotation.None)), keys[0].Property.Name)
            : null;
        return (info, diagnostics.ToImmutable());
    }

    // Collects diagnostics, moving each one to a fixed location when given one.
    private sealed class RelocatingBuilder(Location? location)
    {
        private readonly ImmutableArray<Diagnostic>.Builder _items = ImmutableArray.CreateBuilder<Diagnostic>();

        public int Count => _items.Count;

        public void Add(DiagnosticDescriptor descriptor, Location? at, params object?[] arguments) =>
            _items.Add(Diagnostic.Create(descriptor, location ?? at, arguments));

        public ImmutableArray<Diagnostic> ToImmutable() => _items.ToImmutable();
    }

    /// <summary>Whether values of <paramref name="type"/> can be a protocol key: a non-null string, a Guid or an integer.</summary>
    public static bool IsSupportedKeyType(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_String => type.NullableAnnotation != NullableAnnotation.Annotated,
        SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_Byte
            or SpecialType.System_SByte or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64 => true,
        _ => type is INamedTypeSymbol named && SymbolNames.Is(named, "System.Guid"),
    };

    // The generated state reads the key with `entity.Key`, from another class of the same assembly.
    private static bool IsReadableByGeneratedCode(IPropertySymbol key, bool fromOtherAssembly) =>
        !key.IsStatic && !key.IsIndexer && key.GetMethod is { } getter
        && (getter.DeclaredAccessibility == Accessibility.Public
            || (!fromOtherAssembly && getter.DeclaredAccessibility is Accessibility.Internal or Accessibility.ProtectedOrInternal));

    private readonly record struct Key(IPropertySymbol Property, Location? AttributeLocation, Location? MemberLocation);

    // [StateKey] properties (the type's own and inherited), then [StateKey] positional parameters of a record, in
    // declaration order. A [StateKey] on any other parameter marks no property (DSG016).
    private static IEnumerable<Key> Keys(INamedTypeSymbol type, RelocatingBuilder diagnostics, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        var hierarchy = new List<INamedTypeSymbol>();
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            hierarchy.Insert(0, current);

        foreach (var declaring in hierarchy)
        {
            foreach (var property in declaring.GetMembers().OfType<IPropertySymbol>())
            {
                if (KeyAttribute(property) is { } attribute && seen.Add(property.Name))
                    yield return new Key(property, AttributeLocation(attribute, cancellationToken), property.Locations.FirstOrDefault());
            }

            foreach (var constructor in declaring.InstanceConstructors)
            {
                var primary = declaring.IsRecord && IsPrimaryConstructor(declaring, constructor, cancellationToken);
                foreach (var parameter in constructor.Parameters)
                {
                    if (KeyAttribute(parameter) is not { } attribute)
                        continue;
                    var property = primary ? declaring.GetMembers(parameter.Name).OfType<IPropertySymbol>().FirstOrDefault() : null;
                    if (property is null)
                        diagnostics.Add(DiagnosticDescriptors.MisplacedStateKey, AttributeLocation(attribute, cancellationToken), parameter.Name);
                    else if (seen.Add(property.Name))
                        yield return new Key(property, AttributeLocation(attribute, cancellationToken), parameter.Locations.FirstOrDefault());
                }
            }
        }
    }

    // In source, the primary constructor is declared by the record declaration itself. From metadata, it is the
    // constructor whose every parameter has a property of the same name and type (the copy constructor's has none).
    private static bool IsPrimaryConstructor(INamedTypeSymbol record, IMethodSymbol constructor, CancellationToken cancellationToken) =>
        constructor.DeclaringSyntaxReferences.IsEmpty
            ? constructor.Parameters.Length > 0 && constructor.Parameters.All(p => record.GetMembers(p.Name).OfType<IPropertySymbol>()
                .Any(property => SymbolEqualityComparer.Default.Equals(property.Type, p.Type)))
            : constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax);

    private static AttributeData? KeyAttribute(ISymbol symbol) =>
        symbol.GetAttributes().FirstOrDefault(static a => SymbolNames.Is(a.AttributeClass, KnownTypeNames.StateKeyAttribute));

    private static Location? AttributeLocation(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();

    private static Location? Identifier(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<BaseTypeDeclarationSyntax>()
            .FirstOrDefault(d => d.AttributeLists.Count > 0)?.Identifier.GetLocation()
        ?? type.Locations.FirstOrDefault();
}
