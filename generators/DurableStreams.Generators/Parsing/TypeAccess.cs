using Microsoft.CodeAnalysis;

namespace DurableStreams.Generators.Parsing;

/// <summary>Visibility questions about the types generated code refers to.</summary>
internal static class TypeAccess
{
    /// <summary>
    /// Whether a class declared at namespace level in <paramref name="compilation"/> can name the type:
    /// false for private or protected nested types and for file-local types.
    /// </summary>
    public static bool IsReachableFromGeneratedCode(INamedTypeSymbol type, Compilation compilation)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsFileLocal)
                return false;
        }
        return compilation.IsSymbolAccessibleWithin(type, compilation.Assembly);
    }

    /// <summary>Whether the type and every type containing it are public.</summary>
    public static bool IsPublic(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility != Accessibility.Public)
                return false;
        }
        return true;
    }

    /// <summary>Whether the type has type parameters or is nested in a type that has.</summary>
    public static bool IsOrIsInGeneric(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.TypeParameters.Length > 0)
                return true;
        }
        return false;
    }
}
