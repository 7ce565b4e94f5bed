using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DurableStreams.Generators.Model;
using Microsoft.CodeAnalysis;

namespace DurableStreams.Generators.Parsing;

/// <summary>Reads user-written <c>JsonSerializerContext</c> classes: which types they list.</summary>
internal static class JsonContextReader
{
    /// <summary>
    /// The context as generated code may use it, or null when <paramref name="type"/> is not a
    /// <c>JsonSerializerContext</c> or generated code cannot reach it.
    /// </summary>
    public static JsonContextSpec? Read(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        if (!IsJsonSerializerContext(type) || !TypeAccess.IsReachableFromGeneratedCode(type, compilation))
            return null;
        cancellationToken.ThrowIfCancellationRequested();
        var listed = ListedTypes(type).Distinct().OrderBy(static name => name, System.StringComparer.Ordinal);
        return new JsonContextSpec(SymbolNames.FullyQualified(type), listed.ToEquatableArray());
    }

    /// <summary>Whether <paramref name="type"/> derives from <c>JsonSerializerContext</c>.</summary>
    public static bool IsJsonSerializerContext(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolNames.Is(current, KnownTypeNames.JsonSerializerContext))
                return true;
        }
        return false;
    }

    /// <summary>Whether the context lists <paramref name="messageType"/> in a <c>[JsonSerializable]</c> attribute.</summary>
    public static bool Lists(INamedTypeSymbol context, ITypeSymbol messageType) =>
        ListedTypes(context).Contains(SymbolNames.FullyQualified(messageType));

    /// <summary>The <c>global::</c>-qualified types of the context's <c>[JsonSerializable(typeof(...))]</c> attributes.</summary>
    public static IEnumerable<string> ListedTypes(INamedTypeSymbol context)
    {
        foreach (var attribute in context.GetAttributes())
        {
            if (SymbolNames.Is(attribute.AttributeClass, KnownTypeNames.JsonSerializableAttribute)
                && attribute.ConstructorArguments is [{ Value: ITypeSymbol listed }, ..])
            {
                yield return SymbolNames.FullyQualified(listed);
            }
        }
    }
}
