using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace DurableStreams.Bench.EndToEnd.Reporting;

/// <summary>The console table and the <c>--json</c> file: one entry per metric with the medians, the unit and the ratios.</summary>
internal static class Report
{
    public static string Machine() =>
        $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}";

    /// <summary>The 1/5/15-minute load averages, so a run on a busy machine shows it.</summary>
    public static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>The table; <paramref name="upstreamMissing"/> fills the upstream column when that client did not run.</summary>
    public static string Table(IReadOnlyList<Metric> metrics, string? upstreamMissing)
    {
        var text = new StringBuilder();
        text.AppendLine("| scenario | metric | unit | SDK | baseline | baseline value | ratio SDK/baseline | target | met | upstream C# | ratio SDK/upstream |");
        text.AppendLine("|---|---|---|---:|---|---:|---:|---|---|---:|---:|");
        foreach (var m in metrics)
        {
            var target = m.Target is { } t ? (m.HigherIsBetter ? "≥ " : "≤ ") + F(t) : "";
            var met = m.Met switch { true => "yes", false => "**no**", null => "" };
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {m.Scenario} | {m.Name} | {m.Unit} | {Cell(m, "sdk", m.SdkMedian)} | {m.Baseline} | {Cell(m, "ts", m.OtherMedian)} | {R(m.Ratio)} | {target} | {met} | {(upstreamMissing is null ? Cell(m, "upstream", m.UpstreamMedian) : "unavailable")} | {R(m.UpstreamRatio)} |");
        }
        return text.ToString();
    }

    public static void WriteJson(string path, IReadOnlyList<Metric> metrics, IReadOnlyDictionary<string, string> run)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory) Directory.CreateDirectory(directory);
        using var file = File.Create(path);
        using var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartObject("run");
        foreach (var (key, value) in run) json.WriteString(key, value);
        json.WriteEndObject();
        json.WriteStartArray("results");
        foreach (var m in metrics)
        {
            json.WriteStartObject();
            json.WriteString("scenario", m.Scenario);
            json.WriteString("metric", m.Name);
            json.WriteString("unit", m.Unit);
            json.WriteString("better", m.HigherIsBetter ? "higher" : "lower");
            Number(json, "sdk", m.SdkMedian);
            json.WriteString("baseline", m.Baseline);
            Number(json, "baselineValue", m.OtherMedian);
            Number(json, "ratio", m.Ratio);
            Number(json, "target", m.Target);
            Number(json, "upstream", m.UpstreamMedian);
            Number(json, "upstreamRatio", m.UpstreamRatio);
            json.WriteStartArray("failedVerification");
            foreach (var client in m.Failed) json.WriteStringValue(client);
            json.WriteEndArray();
            if (m.Met is { } met) json.WriteBoolean("met", met); else json.WriteNull("met");
            Samples(json, "sdkSamples", m.Sdk);
            Samples(json, "baselineSamples", m.Other);
            Samples(json, "upstreamSamples", m.Upstream);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v) json.WriteNumber(name, Math.Round(v, 4)); else json.WriteNull(name);
    }

    private static void Samples(Utf8JsonWriter json, string name, List<double> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values) json.WriteNumberValue(Math.Round(v, 4));
        json.WriteEndArray();
    }

    private static string Cell(Metric m, string client, double? value) =>
        m.Failed.Contains(client) ? "**FAILED**" : F(value);

    private static string R(double? ratio) => ratio?.ToString("0.000", CultureInfo.InvariantCulture) ?? "n/a";

    private static string F(double? value) => value switch
    {
        null => "n/a",
        >= 1000 => value.Value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.Value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
