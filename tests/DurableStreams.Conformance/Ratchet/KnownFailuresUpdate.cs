using DurableStreams.Conformance.Runner;
using DurableStreams.Conformance.Yaml;

namespace DurableStreams.Conformance.Ratchet;

/// <summary>
/// Rewrites <c>known-failures.txt</c> from a run (maintainer mode,
/// <c>DURABLE_STREAMS_CONFORMANCE_UPDATE_KNOWN_FAILURES=1</c>): cases that ran are listed exactly
/// when they failed; cases that did not run (filtered out, skipped) keep their previous state.
/// </summary>
internal static class KnownFailuresUpdate
{
    public static IReadOnlyList<string> NewList(
        KnownFailuresFile current, CaseCatalog catalog, IReadOnlyDictionary<string, CaseOutcomeKind> outcomes) =>
        catalog.Cases
            .Select(testCase => testCase.Key)
            .Where(key => outcomes.TryGetValue(key, out var kind) && kind != CaseOutcomeKind.Skipped
                ? kind == CaseOutcomeKind.Failed
                : current.Lists(key))
            .ToList();
}
