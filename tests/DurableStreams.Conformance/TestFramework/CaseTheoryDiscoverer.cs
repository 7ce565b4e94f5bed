using Xunit.Sdk;
using Xunit.v3;

namespace DurableStreams.Conformance.TestFramework;

/// <summary>Discovers <see cref="CaseTheoryAttribute"/> rows, keeping each row's display name as given.</summary>
public sealed class CaseTheoryDiscoverer : TheoryDiscoverer
{
    protected override ValueTask<IReadOnlyCollection<IXunitTestCase>> CreateTestCasesForDataRow(
        ITestFrameworkDiscoveryOptions discoveryOptions,
        IXunitTestMethod testMethod,
        ITheoryAttribute theoryAttribute,
        ITheoryDataRow dataRow,
        object?[] testMethodArguments)
    {
        var details = TestIntrospectionHelper.GetTestCaseDetailsForTheoryDataRow(
            discoveryOptions, testMethod, theoryAttribute, dataRow, testMethodArguments);
        var testCase = new XunitTestCase(
            details.ResolvedTestMethod,
            dataRow.TestDisplayName ?? details.TestCaseDisplayName,
            details.UniqueID,
            details.Explicit,
            details.SkipExceptions,
            details.SkipReason,
            details.SkipType,
            details.SkipUnless,
            details.SkipWhen,
            TestIntrospectionHelper.GetTraits(testMethod, dataRow),
            testMethodArguments,
            details.SourceFilePath,
            details.SourceLineNumber,
            details.Timeout);
        return new([testCase]);
    }
}
