using DurableStreams.Conformance.Ratchet;
using DurableStreams.Conformance.Runner;
using DurableStreams.Conformance.Yaml;

namespace DurableStreams.Conformance.RunnerTests;

public sealed class RatchetTests
{
    [Fact]
    public void Parses_ids_with_comments_and_keeps_the_header()
    {
        var file = KnownFailuresFile.Parse("# header 1\n# header 2\n\na/b\n  c/d   # flaky\n# later comment\n", "known-failures.txt");

        Assert.Equal(["# header 1", "# header 2"], file.Header);
        Assert.Equal([new KnownFailuresFile.Entry("a/b", 4), new KnownFailuresFile.Entry("c/d", 5)], file.Entries);
        Assert.True(file.Lists("c/d"));
        Assert.Equal("# header 1\n# header 2\nx/y\n", file.Render(["x/y"]));
    }

    [Theory]
    [InlineData("Passed", false, false, "Pass")]
    [InlineData("Passed", true, false, "Fail")]
    [InlineData("Failed", true, false, "Skip")]
    [InlineData("Failed", false, false, "Fail")]
    [InlineData("Skipped", true, false, "Skip")]
    [InlineData("Passed", true, true, "Pass")]
    [InlineData("Failed", false, true, "Skip")]
    public void Decides_pass_fail_or_skip(string outcome, bool listed, bool updating, string expected)
    {
        var kind = Enum.Parse<CaseOutcomeKind>(outcome);

        var decision = RatchetDecision.For(new CaseOutcome(kind, "why"), listed, updating);

        Assert.Equal(Enum.Parse<RatchetAction>(expected), decision.Action);
    }

    [Fact]
    public void Messages_name_the_ratchet()
    {
        Assert.Equal("known failure (ratchet): boom", RatchetDecision.For(CaseOutcome.Failed("boom"), listed: true, updatingList: false).Message);
        Assert.Contains("passes now; remove it from known-failures.txt", RatchetDecision.For(CaseOutcome.Passed, listed: true, updatingList: false).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flags_unknown_repeated_and_exempt_entries()
    {
        var catalog = CatalogOf("consumer-offset/offset-zero-start", "s/real");
        var file = KnownFailuresFile.Parse("s/real\ns/typo\ns/real\nconsumer-offset/offset-zero-start\n", "/x/known-failures.txt");

        var problems = KnownFailuresCheck.Problems(file, catalog);

        Assert.Collection(
            problems,
            p => Assert.StartsWith("known-failures.txt:2: 's/typo' is not a case", p, StringComparison.Ordinal),
            p => Assert.StartsWith("known-failures.txt:3: 's/real' is listed more than once", p, StringComparison.Ordinal),
            p => Assert.StartsWith("known-failures.txt:4: 'consumer-offset/offset-zero-start' is never run", p, StringComparison.Ordinal));
    }

    [Fact]
    public void Update_lists_failures_of_this_run_and_keeps_cases_that_did_not_run()
    {
        var catalog = CatalogOf("s/a", "s/b", "s/c", "s/d");
        var current = KnownFailuresFile.Parse("s/b\ns/d\n", "k.txt");
        var outcomes = new Dictionary<string, CaseOutcomeKind>
        {
            ["s/a"] = CaseOutcomeKind.Failed,
            ["s/b"] = CaseOutcomeKind.Passed,
            ["s/c"] = CaseOutcomeKind.Skipped,
        };

        Assert.Equal(["s/a", "s/d"], KnownFailuresUpdate.NewList(current, catalog, outcomes));
    }

    private static CaseCatalog CatalogOf(params string[] keys)
    {
        var root = Directory.CreateTempSubdirectory("conformance-ratchet-").FullName;
        try
        {
            foreach (var group in keys.Select(key => key.Split('/')).GroupBy(parts => parts[0]))
            {
                var tests = string.Concat(group.Select(parts => $"  - id: {parts[1]}\n"));
                File.WriteAllText(Path.Combine(root, group.Key + ".yaml"), $"id: {group.Key}\ntests:\n{tests}");
            }

            return CaseCatalog.Load(root);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
