using System.Reflection;
using Microsoft.CodeAnalysis;

namespace DurableStreams.Generators.Tests.Support;

/// <summary>
/// System.Text.Json's source generator, loaded from the SDK's targeting pack (the build records its path).
/// Tests run it next to ours because the user-written contexts our output refers to only compile once
/// it has implemented them.
/// </summary>
internal static class JsonGenerator
{
    private static readonly Lazy<Type> GeneratorType = new(Load);

    public static Type Type => GeneratorType.Value;

    public static IIncrementalGenerator Create() => (IIncrementalGenerator)Activator.CreateInstance(Type)!;

    private static Type Load()
    {
        var path = typeof(JsonGenerator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "JsonSourceGeneratorPath")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
            throw new InvalidOperationException($"System.Text.Json.SourceGeneration.dll was not found (recorded path: '{path}').");
        return Assembly.LoadFrom(path).GetTypes()
            .Single(t => t.IsClass && !t.IsAbstract && typeof(IIncrementalGenerator).IsAssignableFrom(t));
    }
}
