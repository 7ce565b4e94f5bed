using System.Text;

namespace DurableStreams.FaultTests.Infrastructure;

/// <summary>Checks sequences of message numbers and says precisely what is wrong (first problems, counts).</summary>
public static class SequenceChecker
{
    private const int ProblemsShown = 10;

    /// <summary>Exactly 0..count-1, in order: no gap, no duplicate, nothing extra.</summary>
    public static void AssertExact(IReadOnlyList<int> actual, int count, string what)
    {
        var problems = new List<string>();
        var seen = new HashSet<int>();
        var duplicates = 0;
        var disorder = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            if (!seen.Add(actual[i]))
            {
                duplicates++;
                problems.Add($"#{i}: {actual[i]} again (duplicate)");
            }
            else if (actual[i] != i - duplicates)
            {
                disorder++;
                problems.Add($"#{i}: {actual[i]} where {i - duplicates} was due");
            }
        }

        var missing = Enumerable.Range(0, count).Where(n => !seen.Contains(n)).ToList();
        var extra = seen.Where(n => n < 0 || n >= count).Count();
        if (problems.Count == 0 && missing.Count == 0 && extra == 0 && actual.Count == count) return;

        var message = new StringBuilder()
            .Append($"{what}: expected exactly 0..{count - 1} in order; got {actual.Count} items, ")
            .Append($"{missing.Count} missing, {duplicates} duplicates, {disorder} out of order, {extra} unexpected.");
        if (missing.Count > 0) message.Append($" Missing (first): {string.Join(", ", missing.Take(ProblemsShown))}.");
        foreach (var problem in problems.Take(ProblemsShown)) message.Append(' ').Append(problem).Append(';');
        message.Append($" (seed {FaultSettings.Seed})");
        Assert.Fail(message.ToString());
    }

    /// <summary>
    /// Concurrent callers: every message stored at most once; every message not stored was reported to its caller as
    /// an exception; nothing stored that nobody sent; each caller's stored messages keep that caller's order.
    /// </summary>
    public static void AssertAtMostOnceAndNoSilentLoss(IReadOnlyList<Msg> stored, int callers, int perCaller, IReadOnlySet<(int Source, int Seq)> failed, string what)
    {
        var problems = new List<string>();
        var seen = new HashSet<(int, int)>();
        var lastSeq = new Dictionary<int, int>();
        foreach (var m in stored)
        {
            if (m.Source < 0 || m.Source >= callers || m.Seq < 0 || m.Seq >= perCaller) problems.Add($"unexpected message {m.Source}/{m.Seq}");
            else if (!seen.Add((m.Source, m.Seq))) problems.Add($"duplicate {m.Source}/{m.Seq}");
            else if (lastSeq.TryGetValue(m.Source, out var last) && m.Seq < last) problems.Add($"caller {m.Source}: {m.Seq} stored after {last}");
            if (m.Source >= 0) lastSeq[m.Source] = Math.Max(m.Seq, lastSeq.GetValueOrDefault(m.Source, -1));
        }

        var silentlyLost = new List<string>();
        for (var c = 0; c < callers; c++)
        for (var s = 0; s < perCaller; s++)
            if (!seen.Contains((c, s)) && !failed.Contains((c, s))) silentlyLost.Add($"{c}/{s}");

        if (problems.Count == 0 && silentlyLost.Count == 0) return;
        Assert.Fail($"{what}: {problems.Count} problems ({string.Join("; ", problems.Take(ProblemsShown))}), " +
                    $"{silentlyLost.Count} silently lost (no exception, not stored: {string.Join(", ", silentlyLost.Take(ProblemsShown))}) (seed {FaultSettings.Seed})");
    }
}
