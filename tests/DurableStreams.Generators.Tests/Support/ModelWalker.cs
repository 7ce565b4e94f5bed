using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace DurableStreams.Generators.Tests.Support;

/// <summary>
/// Walks an object graph through every field, collecting compiler objects that would pin a compilation in
/// memory and break caching if they reached the generator's model.
/// </summary>
internal static class ModelWalker
{
    public static IReadOnlyList<string> FindCompilerObjects(object? root)
    {
        var found = new List<string>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Walk(root, "model", found, seen);
        return found;
    }

    private static void Walk(object? node, string path, List<string> found, HashSet<object> seen)
    {
        if (node is null || node is string || node.GetType().IsPrimitive || node.GetType().IsEnum)
            return;
        if (node is Compilation or ISymbol or SemanticModel or SyntaxNode or SyntaxTree or Location)
        {
            found.Add($"{path}: {node.GetType().Name}");
            return;
        }
        if (!node.GetType().IsValueType && !seen.Add(node))
            return;

        if (node is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
                Walk(item, $"{path}[{i++}]", found, seen);
        }
        for (var type = node.GetType(); type is not null; type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.GetCustomAttribute<CompilerGeneratedAttribute>() is not null && field.FieldType == typeof(Type))
                    continue; // records' EqualityContract
                Walk(field.GetValue(node), $"{path}.{field.Name}", found, seen);
            }
        }
    }
}
