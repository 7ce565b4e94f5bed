namespace DurableStreams.Conformance.Runner;

internal enum CaseOutcomeKind
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>The runner's verdict on one case, before the known-failures ratchet is applied.</summary>
internal sealed record CaseOutcome(CaseOutcomeKind Kind, string Message)
{
    public static CaseOutcome Passed { get; } = new(CaseOutcomeKind.Passed, string.Empty);

    public static CaseOutcome Failed(string message) => new(CaseOutcomeKind.Failed, message);

    public static CaseOutcome Skipped(string reason) => new(CaseOutcomeKind.Skipped, reason);
}
