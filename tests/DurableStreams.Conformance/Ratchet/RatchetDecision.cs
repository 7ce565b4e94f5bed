using DurableStreams.Conformance.Runner;

namespace DurableStreams.Conformance.Ratchet;

internal enum RatchetAction
{
    Pass,
    Fail,
    Skip,
}

/// <summary>
/// What the test reports for a case once <c>known-failures.txt</c> is taken into account. The list
/// lets partial progress stay green while guaranteeing it only shrinks: a listed failure is a
/// skip, a listed case that passes is a failure until it is removed from the list.
/// </summary>
internal sealed record RatchetDecision(RatchetAction Action, string Message)
{
    public static RatchetDecision For(CaseOutcome outcome, bool listed, bool updatingList) =>
        (outcome.Kind, listed) switch
        {
            (CaseOutcomeKind.Skipped, _) => new(RatchetAction.Skip, outcome.Message),
            (CaseOutcomeKind.Passed, false) => new(RatchetAction.Pass, string.Empty),
            (CaseOutcomeKind.Passed, true) when updatingList => new(RatchetAction.Pass, string.Empty),
            (CaseOutcomeKind.Passed, true) =>
                new(RatchetAction.Fail, "This case is listed in known-failures.txt but passes now; remove it from known-failures.txt."),
            (CaseOutcomeKind.Failed, true) => new(RatchetAction.Skip, "known failure (ratchet): " + outcome.Message),
            (CaseOutcomeKind.Failed, false) when updatingList =>
                new(RatchetAction.Skip, "known failure (ratchet, being added to known-failures.txt): " + outcome.Message),
            _ => new(RatchetAction.Fail, outcome.Message),
        };
}
