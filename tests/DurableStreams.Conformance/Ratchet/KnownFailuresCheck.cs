using DurableStreams.Conformance.Selection;
using DurableStreams.Conformance.Yaml;

namespace DurableStreams.Conformance.Ratchet;

/// <summary>Finds entries of <c>known-failures.txt</c> that cannot mean anything: unknown, repeated or never-run cases.</summary>
internal static class KnownFailuresCheck
{
    public static IReadOnlyList<string> Problems(KnownFailuresFile file, CaseCatalog catalog)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in file.Entries)
        {
            var where = $"{Path.GetFileName(file.FilePath)}:{entry.LineNumber}";
            if (!seen.Add(entry.Key))
            {
                problems.Add($"{where}: '{entry.Key}' is listed more than once.");
            }
            else if (!catalog.TryGet(entry.Key, out _))
            {
                problems.Add($"{where}: '{entry.Key}' is not a case in {catalog.Directory}.");
            }
            else if (StrictModeExemptions.ReasonFor(entry.Key) is { } reason)
            {
                problems.Add($"{where}: '{entry.Key}' is never run ({reason}); remove it.");
            }
        }

        return problems;
    }
}
