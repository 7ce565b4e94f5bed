using DurableStreams.Conformance.Ratchet;
using DurableStreams.Conformance.TestFramework;

namespace DurableStreams.Conformance;

/// <summary>
/// The client conformance suite: one test per YAML case, named <c>suite-id/test-id</c>, run in
/// file order against the reference server through the adapter process.
/// </summary>
[Collection(ConformanceCollection.Name)]
[TestCaseOrderer(typeof(WalkOrderTestCaseOrderer))]
public sealed class ConformanceCases(ConformanceSession session)
{
    public static IEnumerable<TheoryDataRow<string>> Cases() => SuiteData.Rows();

    [CaseTheory]
    [MemberData(nameof(Cases))]
    public async Task Case(string caseKey)
    {
        if (SuiteData.ProblemFor(caseKey) is { } problem)
        {
            Assert.Fail(problem);
        }

        var (decision, transcript) = await session.RunCaseAsync(caseKey, TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.Write(transcript);
        switch (decision.Action)
        {
            case RatchetAction.Skip:
                Assert.Skip(decision.Message);
                break;
            case RatchetAction.Fail:
                Assert.Fail(decision.Message);
                break;
        }
    }
}
