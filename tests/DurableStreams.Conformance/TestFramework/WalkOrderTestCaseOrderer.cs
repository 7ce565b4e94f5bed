using Xunit.Sdk;
using Xunit.v3;

namespace DurableStreams.Conformance.TestFramework;

/// <summary>
/// Runs the cases in the upstream walk order (file by file, test by test) instead of xunit's
/// hash order, so adapter state carried between cases evolves as it does upstream.
/// </summary>
public sealed class WalkOrderTestCaseOrderer : ITestCaseOrderer
{
    public IReadOnlyCollection<TTestCase> OrderTestCases<TTestCase>(IReadOnlyCollection<TTestCase> testCases)
        where TTestCase : notnull, ITestCase =>
        testCases
            .OrderBy(testCase => SuiteData.Catalog.PositionOf(testCase.TestCaseDisplayName))
            .ThenBy(testCase => testCase.TestCaseDisplayName, StringComparer.Ordinal)
            .ToList();
}
