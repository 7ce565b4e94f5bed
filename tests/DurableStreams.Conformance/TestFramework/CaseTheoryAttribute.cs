using System.Runtime.CompilerServices;
using Xunit.v3;

namespace DurableStreams.Conformance.TestFramework;

/// <summary>
/// A theory whose rows are named exactly by their <see cref="ITheoryDataRow.TestDisplayName"/>.
/// xunit's own theories append the arguments (<c>name(caseKey: "…")</c>); the conformance tests
/// must be called plainly <c>suite-id/test-id</c>.
/// </summary>
[XunitTestCaseDiscoverer(typeof(CaseTheoryDiscoverer))]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class CaseTheoryAttribute(
    [CallerFilePath] string? sourceFilePath = null,
    [CallerLineNumber] int sourceLineNumber = -1)
    : TheoryAttribute(sourceFilePath, sourceLineNumber);
