using System.Globalization;
using System.Text;
using System.Text.Json;
using DurableStreams.Bench.EndToEnd.Reporting;

namespace DurableStreams.Bench.EndToEnd.Servers;

/// <summary>
/// One row of the server table: samples per server (one per round), compared by median with the reference
/// server's. <see cref="Target"/> rows must reach at least the reference (throughput) or at most (latency, memory).
/// </summary>
internal sealed class ServerMetric(string scenario, string name, string unit, bool higherIsBetter, bool target)
{
    public string Scenario { get; } = scenario;
    public string Name { get; } = name;
    public string Unit { get; } = unit;
    public bool HigherIsBetter { get; } = higherIsBetter;
    public bool Target { get; } = target;
    public Dictionary<string, List<double>> Samples { get; } = [];
    public HashSet<string> Failed { get; } = [];

    public void Add(string server, double value)
    {
        if (!Samples.TryGetValue(server, out var list)) Samples[server] = list = [];
        list.Add(value);
    }

    public double? Median(string server) => Samples.TryGetValue(server, out var list) ? Stats.Median(list) : null;

    public double? Ratio(string server) => Median(server) is { } s && Median("reference") is { } r && r != 0 ? s / r : null;

    /// <summary>Smallest and largest sample, so a reader can tell a real difference from noise.</summary>
    public string Spread(string server) =>
        Samples.TryGetValue(server, out var list) && list.Count > 1 ? $"{F(list.Min())}–{F(list.Max())}" : "";

    public bool? Met(string server) => !Target || Ratio(server) is not { } r ? null : HigherIsBetter ? r >= 1 : r <= 1;

    public static string Table(IReadOnlyList<ServerMetric> metrics, IReadOnlyList<string> embedded)
    {
        var text = new StringBuilder();
        text.Append("| scenario | metric | unit | reference (Node) |");
        foreach (var e in embedded) text.Append(CultureInfo.InvariantCulture, $" embedded {e} | {e}/reference | met |");
        text.AppendLine();
        text.Append("|---|---|---|---:|");
        foreach (var _ in embedded) text.Append("---:|---:|---|");
        text.AppendLine();
        foreach (var m in metrics)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {m.Scenario} | {m.Name} | {m.Unit} | {m.Cell("reference")} |");
            foreach (var e in embedded)
            {
                var met = m.Met(e) switch { true => "yes", false => "**no**", null => "" };
                text.Append(CultureInfo.InvariantCulture, $" {m.Cell(e)} | {m.Ratio(e)?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a"} | {met} |");
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    public static void WriteJson(string path, IReadOnlyList<ServerMetric> metrics, IReadOnlyDictionary<string, string> run)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory) Directory.CreateDirectory(directory);
        using var file = File.Create(path);
        using var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartObject("run");
        foreach (var (key, value) in run) json.WriteString(key, value);
        json.WriteEndObject();
        json.WriteStartArray("servers");
        foreach (var m in metrics)
        {
            json.WriteStartObject();
            json.WriteString("scenario", m.Scenario);
            json.WriteString("metric", m.Name);
            json.WriteString("unit", m.Unit);
            json.WriteString("better", m.HigherIsBetter ? "higher" : "lower");
            foreach (var (server, samples) in m.Samples)
            {
                json.WriteStartObject(server);
                if (m.Median(server) is { } median) json.WriteNumber("median", Math.Round(median, 4));
                if (m.Ratio(server) is { } ratio) json.WriteNumber("ratioToReference", Math.Round(ratio, 4));
                if (m.Met(server) is { } met) json.WriteBoolean("met", met);
                json.WriteBoolean("failedVerification", m.Failed.Contains(server));
                json.WriteStartArray("samples");
                foreach (var v in samples) json.WriteNumberValue(Math.Round(v, 4));
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private string Cell(string server)
    {
        if (Failed.Contains(server)) return "**FAILED**";
        var spread = Spread(server);
        return spread.Length == 0 ? F(Median(server)) : $"{F(Median(server))} ({spread})";
    }

    private static string F(double? value) => value switch
    {
        null => "n/a",
        >= 1000 => value.Value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.Value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
