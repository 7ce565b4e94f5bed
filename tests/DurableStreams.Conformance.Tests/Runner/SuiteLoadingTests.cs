using DurableStreams.Conformance.Yaml;

namespace DurableStreams.Conformance.RunnerTests;

public sealed class SuiteLoadingTests
{
    private const string Suite = """
        id: demo
        name: Demo
        category: consumer
        requires: [sse]
        tests:
          - id: first
            skip: "ignored by our runner"
            requires: [long-poll]
            setup:
              - action: create
                as: streamPath
            operations:
              - action: read
                path: ${streamPath}
                live: false
                expect:
                  data: ""
          - id: second
            operations:
              - action: wait
                ms: 10
        """;

    [Fact]
    public void Parses_cases_steps_requirements_and_source_lines()
    {
        var cases = SuiteFileParser.Parse(Suite, "consumer/demo.yaml");

        Assert.Equal(["demo/first", "demo/second"], cases.Select(c => c.Key));
        var first = cases[0];
        Assert.Equal(["sse"], first.SuiteRequires);
        Assert.Equal(["long-poll"], first.Requires);
        Assert.Equal("create", first.Setup[0].Action);
        Assert.Empty(first.Setup[0].Expect);
        var read = first.Operations[0];
        Assert.Equal(CasePhase.Operations, read.Phase);
        Assert.Equal("", read.Expect["data"]!.GetValue<string>());
        Assert.Equal("operations[0] read (consumer/demo.yaml:13)", read.ToString());
        Assert.Empty(cases[1].Setup);
        Assert.Empty(cases[1].Cleanup);
    }

    [Theory]
    [InlineData("name: no id\ntests: []\n", "missing 'id'")]
    [InlineData("id: x\n", "no 'tests' list")]
    [InlineData("id: x\ntests:\n  - id: t\n    operations:\n      - path: /p\n", "without an 'action'")]
    [InlineData("id: x\ntests: [\n", "invalid YAML")]
    public void Reports_malformed_suites_with_their_file(string yaml, string expected)
    {
        var error = Assert.Throws<CaseFormatException>(() => SuiteFileParser.Parse(yaml, "bad.yaml"));

        Assert.Contains("bad.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Walks_folders_in_ordinal_order_descending_where_the_folder_name_sorts()
    {
        var root = Directory.CreateTempSubdirectory("conformance-walk-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "idempotent"));
            File.WriteAllText(Path.Combine(root, "idempotent-json.yaml"), "id: c\ntests:\n  - id: t\n");
            File.WriteAllText(Path.Combine(root, "idempotent", "a.yml"), "id: b\ntests:\n  - id: t\n");
            File.WriteAllText(Path.Combine(root, "append.yaml"), "id: a\ntests:\n  - id: t\n");
            File.WriteAllText(Path.Combine(root, "notes.txt"), "not a suite");

            var catalog = CaseCatalog.Load(root);

            Assert.Empty(catalog.Problems);
            Assert.Equal(["a/t", "b/t", "c/t"], catalog.Cases.Select(c => c.Key));
            Assert.Equal("idempotent/a.yml", catalog.Cases[1].SourceFile);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_missing_folder_or_duplicate_ids_are_problems_not_silence()
    {
        var missing = CaseCatalog.Load(Path.Combine(Path.GetTempPath(), "no-such-conformance-folder-" + Guid.NewGuid()));
        Assert.Empty(missing.Cases);
        Assert.Contains("does not exist", Assert.Single(missing.Problems), StringComparison.Ordinal);

        var root = Directory.CreateTempSubdirectory("conformance-dup-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "a.yaml"), "id: s\ntests:\n  - id: t\n  - id: t\n");
            Assert.Contains("duplicate case id 's/t'", Assert.Single(CaseCatalog.Load(root).Problems), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_shipped_suite_loads_completely()
    {
        var catalog = SuiteData.Catalog;
        Assert.SkipWhen(!Directory.Exists(catalog.Directory), "the shared cases folder is not checked out here");

        Assert.Empty(catalog.Problems);
        Assert.Equal(269, catalog.Cases.Count);
        Assert.Equal(35, catalog.Cases.Select(c => c.SourceFile).Distinct().Count());
        Assert.Equal("consumer-cache-headers", catalog.Cases[0].SuiteId);
    }
}
