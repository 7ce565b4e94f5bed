using DurableStreams.Conformance.Ratchet;

namespace DurableStreams.Conformance;

/// <summary>The ratchet file may only name cases that exist and can run; anything else is a stale or mistyped entry.</summary>
public sealed class KnownFailuresListTests
{
    [Fact]
    public void Lists_only_existing_runnable_cases_once()
    {
        var catalog = SuiteData.Catalog;
        Assert.SkipWhen(catalog.Cases.Count == 0, "no cases loaded; the conformance-cases/problem rows report why");

        var file = KnownFailuresFile.Load(ConformanceSettings.Current.KnownFailuresPath);
        var problems = KnownFailuresCheck.Problems(file, catalog);

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }
}
