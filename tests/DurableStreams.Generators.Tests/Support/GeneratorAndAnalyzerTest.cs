using DurableStreams.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace DurableStreams.Generators.Tests.Support;

/// <summary>
/// A Roslyn testing-library run of our generator and analyzer (plus the JSON generator, so user contexts
/// compile) against the .NET 10 reference assemblies. Every diagnostic, the compiler's included, must be
/// expected; generated sources are checked by the golden-file tests instead.
/// </summary>
internal sealed class GeneratorAndAnalyzerTest : CSharpSourceGeneratorTest<DurableStreamsGenerator, DefaultVerifier>
{
    public GeneratorAndAnalyzerTest(string source, params DiagnosticResult[] expected)
    {
        ReferenceAssemblies = PinnedReferenceAssemblies.Net100;
        TestState.Sources.Add(source);
        foreach (var path in TestCompilation.RuntimeAssemblies())
            TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(path));
        TestState.ExpectedDiagnostics.AddRange(expected);
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        new GeneratorAndAnalyzerTest(source, expected).RunAsync(TestContext.Current.CancellationToken);

    protected override IEnumerable<Type> GetSourceGenerators() => [typeof(DurableStreamsGenerator), JsonGenerator.Type];

    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => [new DurableStreamAnalyzer(), new DurableStateAnalyzer()];
}
