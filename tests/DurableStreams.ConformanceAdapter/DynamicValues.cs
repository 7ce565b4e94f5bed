using System.Globalization;
using System.Text.Json.Nodes;

namespace DurableStreams.ConformanceAdapter;

/// <summary>
/// Header and query values registered by <c>set-dynamic-*</c>, evaluated once per append or read
/// command (the suite's contract) and attached to every request of that command.
/// </summary>
internal sealed class DynamicValues
{
    private sealed class Source(string kind, string? token)
    {
        private long _counter;

        public string Next() => kind switch
        {
            "counter" => (++_counter).ToString(CultureInfo.InvariantCulture),
            "timestamp" => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            _ => token ?? "",
        };
    }

    private readonly Dictionary<string, Source> _headers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Source> _params = new(StringComparer.Ordinal);

    public void SetHeader(string name, string kind, string? initialValue) => _headers[name] = new Source(kind, initialValue);
    public void SetParam(string name, string kind) => _params[name] = new Source(kind, null);

    public void Clear()
    {
        _headers.Clear();
        _params.Clear();
    }

    /// <summary>One evaluation for one command: values to send and to report.</summary>
    public Evaluation Evaluate()
    {
        var headers = _headers.ToDictionary(p => p.Key, p => p.Value.Next(), StringComparer.Ordinal);
        var query = _params.ToDictionary(p => p.Key, p => p.Value.Next(), StringComparer.Ordinal);
        return new Evaluation(headers, query, _headers.Count > 0, _params.Count > 0);
    }

    public sealed record Evaluation(Dictionary<string, string> Headers, Dictionary<string, string> Query, bool ReportHeaders, bool ReportParams)
    {
        /// <summary>Dynamic headers, overridden by the command's explicit headers of the same name.</summary>
        public Dictionary<string, string> MergeHeaders(Dictionary<string, string>? explicitHeaders)
        {
            var merged = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase);
            if (explicitHeaders is not null) foreach (var (k, v) in explicitHeaders) merged[k] = v;
            return merged;
        }

        public void Report(JsonObject result)
        {
            if (ReportHeaders) result["headersSent"] = ToObject(Headers);
            if (ReportParams) result["paramsSent"] = ToObject(Query);
        }

        private static JsonObject ToObject(Dictionary<string, string> values)
        {
            var obj = new JsonObject();
            foreach (var (k, v) in values) obj[k] = v;
            return obj;
        }
    }
}
