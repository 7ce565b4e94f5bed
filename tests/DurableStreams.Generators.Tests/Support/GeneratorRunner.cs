using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DurableStreams.Generators.Tests.Support;

/// <summary>Runs our generator (and, when asked, the JSON generator) the way the compiler does.</summary>
internal static class GeneratorRunner
{
    /// <summary>Our generator's output and the compilation with every generator's output added.</summary>
    public sealed record Result(IReadOnlyList<GeneratedSourceResult> Sources, Compilation Output, IReadOnlyList<Diagnostic> GeneratorDiagnostics);

    public static Result RunWithJson(params string[] sources) => RunWithJson(TestCompilation.Create(sources));

    /// <summary>As <see cref="RunWithJson(string[])"/>, on a prepared compilation (e.g. with extra references).</summary>
    public static Result RunWithJson(Compilation compilation)
    {
        var ours = new DurableStreamsGenerator();
        var driver = CSharpGeneratorDriver.Create(
            [ours.AsSourceGenerator(), JsonGenerator.Create().AsSourceGenerator()],
            parseOptions: TestCompilation.ParseOptions);
        var run = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var ourResult = run.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(DurableStreamsGenerator));
        Assert.Null(ourResult.Exception);
        return new Result(ourResult.GeneratedSources, output, diagnostics);
    }

    /// <summary>A driver for our generator alone that records every pipeline step, for caching tests.</summary>
    public static GeneratorDriver TrackingDriver() =>
        CSharpGeneratorDriver.Create(
            [new DurableStreamsGenerator().AsSourceGenerator()],
            parseOptions: TestCompilation.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
}
