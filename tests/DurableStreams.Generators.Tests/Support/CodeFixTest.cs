using DurableStreams.CodeFixes;
using DurableStreams.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace DurableStreams.Generators.Tests.Support;

/// <summary>
/// A Roslyn testing-library run of <see cref="AddJsonSerializableCodeFix"/> on our analyzer's diagnostics,
/// with both generators running so that the code before and after the fix compiles.
/// </summary>
internal sealed class CodeFixTest(string[] sources, string[] fixedSources, params DiagnosticResult[] expected)
    : CodeFixTest<DurableStreamAnalyzer>(sources, fixedSources, expected);

/// <summary>As <see cref="CodeFixTest"/>, for the diagnostics of <typeparamref name="TAnalyzer"/>.</summary>
internal class CodeFixTest<TAnalyzer> : CSharpCodeFixTest<TAnalyzer, AddJsonSerializableCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public CodeFixTest(string[] sources, string[] fixedSources, params DiagnosticResult[] expected)
    {
        ReferenceAssemblies = PinnedReferenceAssemblies.Net100;
        foreach (var source in sources)
            TestState.Sources.Add(source);
        foreach (var source in fixedSources)
            FixedState.Sources.Add(source);
        foreach (var path in TestCompilation.RuntimeAssemblies())
        {
            TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(path));
            FixedState.AdditionalReferences.Add(MetadataReference.CreateFromFile(path));
        }
        TestState.ExpectedDiagnostics.AddRange(expected);
        // The fixed state lists everything itself, so the diagnostics the fix removes are not expected there.
        FixedState.InheritanceMode = StateInheritanceMode.Explicit;
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    public static Task VerifyAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new CodeFixTest<TAnalyzer>([source], [fixedSource], expected);
        if (source == fixedSource)
            test.FixedState.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    protected override IEnumerable<Type> GetSourceGenerators() => [typeof(DurableStreamsGenerator), JsonGenerator.Type];
}
