using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DurableStreams.Generators.Tests.Support;

/// <summary>Compilations of test sources against .NET 10 and the DurableStreams runtime, offline.</summary>
internal static class TestCompilation
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(() =>
    [
        .. Net100.References.All,
        .. RuntimeAssemblies().Select(path => MetadataReference.CreateFromFile(path)),
    ]);

    public static CSharpCompilation Create(params string[] sources) =>
        CSharpCompilation.Create(
            "TestProject",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>A library compiled from <paramref name="source"/> and loaded as metadata, as a referenced assembly is.</summary>
    public static MetadataReference EmitLibrary(string source)
    {
        var library = CSharpCompilation.Create(
            "TestLibrary",
            [CSharpSyntaxTree.ParseText(source, ParseOptions, path: "Library.cs")],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = library.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    /// <summary>The DurableStreams runtime and the packages its public API mentions.</summary>
    public static IEnumerable<string> RuntimeAssemblies()
    {
        var runtime = typeof(DurableStreamAttribute).Assembly.Location;
        yield return runtime;
        foreach (var dependency in Directory.EnumerateFiles(Path.GetDirectoryName(runtime)!, "Microsoft.Extensions.*.dll"))
            yield return dependency;
    }
}
