namespace DurableStreams.Bench.EndToEnd.Reporting;

/// <summary>
/// One row of the report: the SDK's samples (one per round) against a baseline's (the TS client, or a
/// limit such as the raw fetch), compared by median, and against the upstream C# client's when it ran. Ratios
/// are always SDK / other.
/// </summary>
internal sealed class Metric(string scenario, string name, string unit, bool higherIsBetter, string baseline, double? target)
{
    public string Scenario { get; } = scenario;
    public string Name { get; } = name;
    public string Unit { get; } = unit;
    public bool HigherIsBetter { get; } = higherIsBetter;
    public string Baseline { get; } = baseline;

    /// <summary>The target for the ratio (a minimum when higher is better, a maximum otherwise); null when informative only.</summary>
    public double? Target { get; } = target;

    public List<double> Sdk { get; } = [];
    public List<double> Other { get; } = [];
    public List<double> Upstream { get; } = [];

    /// <summary>Clients ("sdk", "ts", "upstream") whose stored data failed verification in this row's scenario.</summary>
    public HashSet<string> Failed { get; } = [];

    public double? SdkMedian => Stats.Median(Sdk);
    public double? OtherMedian => Stats.Median(Other);
    public double? UpstreamMedian => Stats.Median(Upstream);
    public double? Ratio => SdkMedian is { } s && OtherMedian is { } o && o != 0 ? s / o : null;
    public double? UpstreamRatio => SdkMedian is { } s && UpstreamMedian is { } u && u != 0 ? s / u : null;

    public bool? Met => Ratio is not { } r || Target is not { } t ? null : HigherIsBetter ? r >= t : r <= t;
}
