namespace DurableStreams.Conformance.Yaml;

/// <summary>One test of a suite file; its <see cref="Key"/> (<c>suite-id/test-id</c>) is the test's display name.</summary>
internal sealed class ConformanceCase
{
    public required string SuiteId { get; init; }

    public required string TestId { get; init; }

    public required string Name { get; init; }

    /// <summary>Path of the suite file relative to the cases folder, with forward slashes.</summary>
    public required string SourceFile { get; init; }

    /// <summary>Features the whole suite needs (checked before <see cref="Requires"/>).</summary>
    public required IReadOnlyList<string> SuiteRequires { get; init; }

    public required IReadOnlyList<string> Requires { get; init; }

    public required IReadOnlyList<CaseStep> Setup { get; init; }

    public required IReadOnlyList<CaseStep> Operations { get; init; }

    public required IReadOnlyList<CaseStep> Cleanup { get; init; }

    public string Key => $"{SuiteId}/{TestId}";

    public override string ToString() => Key;
}
