using System.Text;
using System.Text.Json.Nodes;
using DurableStreams.Conformance.Json;

namespace DurableStreams.Conformance.Http;

/// <summary>
/// Builds the raw requests of the runner-direct actions and describes them as JSON, so a failure
/// message can show exactly what the runner sent, in the same shape as an adapter command.
/// </summary>
internal static class HttpExchange
{
    // HttpClient only accepts these on HttpContent, not on the request itself.
    private static readonly HashSet<string> ContentHeaderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Allow", "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length",
        "Content-Location", "Content-MD5", "Content-Range", "Content-Type", "Expires", "Last-Modified",
    };

    /// <summary>
    /// A request whose headers are sent exactly as given (no charset added, empty values kept),
    /// with content headers routed to the body as HttpClient requires.
    /// </summary>
    public static HttpRequestMessage Build(HttpMethod method, string url, IReadOnlyList<KeyValuePair<string, string>> headers, string? body)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        }

        foreach (var (name, value) in headers)
        {
            if (IsContentHeader(name))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                request.Headers.Remove(name);
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    public static JsonObject Describe(HttpMethod method, string url, IReadOnlyList<KeyValuePair<string, string>> headers, string? body)
    {
        var description = new JsonObject { ["method"] = method.Method, ["url"] = url };
        if (headers.Count > 0)
        {
            var headerObject = new JsonObject();
            foreach (var (name, value) in headers)
            {
                headerObject[name] = value;
            }

            description["headers"] = headerObject;
        }

        if (body is not null)
        {
            description["body"] = body;
        }

        return description;
    }

    /// <summary>
    /// Merges header sources in order, later entries replacing earlier ones case-insensitively
    /// while keeping the spelling of the last writer.
    /// </summary>
    public static List<KeyValuePair<string, string>> MergeHeaders(params IEnumerable<KeyValuePair<string, string>>[] sources)
    {
        var merged = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in sources.SelectMany(source => source))
        {
            merged.RemoveAll(existing => string.Equals(existing.Key, name, StringComparison.OrdinalIgnoreCase));
            merged.Add(new KeyValuePair<string, string>(name, value));
        }

        return merged;
    }

    /// <summary>A YAML <c>headers:</c> mapping as name/value text pairs.</summary>
    public static IEnumerable<KeyValuePair<string, string>> FromYaml(JsonNode? headers) =>
        headers is JsonObject mapping
            ? mapping.Select(entry => new KeyValuePair<string, string>(entry.Key, JsValues.ToText(entry.Value)))
            : [];

    /// <summary>A response header exactly as the server sent it (not re-formatted by HttpClient's parser).</summary>
    public static string? SingleHeader(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values)
        || response.Content.Headers.NonValidated.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    private static bool IsContentHeader(string name) => ContentHeaderNames.Contains(name);
}
