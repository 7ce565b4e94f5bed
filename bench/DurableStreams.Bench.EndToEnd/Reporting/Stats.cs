namespace DurableStreams.Bench.EndToEnd.Reporting;

internal static class Stats
{
    public static double? Median(IReadOnlyList<double> values) => values.Count == 0 ? null : Percentile(values, 50);

    /// <summary>Linear interpolation between closest ranks.</summary>
    public static double Percentile(IReadOnlyList<double> values, double percent)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 1) return sorted[0];
        var rank = percent / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
