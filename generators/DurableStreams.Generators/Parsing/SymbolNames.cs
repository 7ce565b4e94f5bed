using Microsoft.CodeAnalysis;

namespace DurableStreams.Generators.Parsing;

/// <summary>How symbols become the strings the model holds.</summary>
internal static class SymbolNames
{
    /// <summary><c>global::Namespace.Outer.Type</c>: unambiguous wherever generated code is placed.</summary>
    public static string FullyQualified(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary>The metadata-style name used for files and messages: <c>Namespace.Outer.Type</c>.</summary>
    public static string Qualified(ITypeSymbol type) =>
        type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted));

    /// <summary>Whether <paramref name="type"/> has <paramref name="metadataName"/> as its full name.</summary>
    public static bool Is(INamedTypeSymbol? type, string metadataName) =>
        type is not null && type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) == metadataName;

    /// <summary>Whether the generic type definition <paramref name="definition"/> has the metadata name <paramref name="metadataName"/> (<c>Ns.Name`1</c>).</summary>
    public static bool IsDefinition(INamedTypeSymbol definition, string metadataName) =>
        metadataName == (definition.ContainingNamespace.IsGlobalNamespace ? "" : definition.ContainingNamespace.ToDisplayString() + ".") + definition.MetadataName
        && definition.ContainingType is null;
}
