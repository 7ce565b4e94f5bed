using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DurableStreams.Conformance.Json;
using DurableStreams.Conformance.Runner;

namespace DurableStreams.Conformance.Http;

/// <summary>
/// <c>server-append</c>: writes to a stream with plain HTTP, bypassing the client under test
/// (to append while a client read is blocked, or to probe the server's producer rules).
/// </summary>
internal sealed partial class ServerAppend(HttpClient http, string baseUrl)
{
    private const string DefaultContentType = "application/octet-stream";

    public async Task<RunnerHttpResult> ExecuteAsync(
        string path,
        string data,
        JsonNode? yamlHeaders,
        JsonNode? producerId,
        JsonNode? producerEpoch,
        JsonNode? producerSeq,
        CancellationToken cancellationToken)
    {
        var url = baseUrl + path;
        var headers = new List<KeyValuePair<string, string>>();
        var sent = HttpExchange.Describe(HttpMethod.Post, url, headers, data);
        try
        {
            // The stream's own content type, so the server accepts the body; this HEAD is a real
            // request and consumes an injected fault, as upstream's does.
            using var head = new HttpRequestMessage(HttpMethod.Head, url);
            using var headResponse = await http.SendAsync(head, cancellationToken).ConfigureAwait(false);
            var contentType = HttpExchange.SingleHeader(headResponse, "Content-Type") ?? DefaultContentType;

            headers = HttpExchange.MergeHeaders(
                [new("content-type", contentType)],
                HttpExchange.FromYaml(yamlHeaders),
                ProducerHeaders(producerId, producerEpoch, producerSeq));
            sent = HttpExchange.Describe(HttpMethod.Post, url, headers, data);

            using var post = HttpExchange.Build(HttpMethod.Post, url, headers, data);
            using var response = await http.SendAsync(post, cancellationToken).ConfigureAwait(false);
            return new RunnerHttpResult(sent, Synthesize(response));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new StepFailedException($"Server append failed: {ex.Message}", sent, ex);
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> ProducerHeaders(JsonNode? id, JsonNode? epoch, JsonNode? seq)
    {
        // Sent as given, empty strings included: the server must see "Producer-Id: " to reject it.
        if (id is not null)
        {
            yield return new("Producer-Id", JsValues.ToText(id));
        }

        if (epoch is not null)
        {
            yield return new("Producer-Epoch", JsValues.ToText(epoch));
        }

        if (seq is not null)
        {
            yield return new("Producer-Seq", JsValues.ToText(seq));
        }
    }

    // Always a success: the HTTP status is the observation, checked by expect.status.
    private static JsonObject Synthesize(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var result = new JsonObject
        {
            ["type"] = "append",
            ["success"] = true,
            ["status"] = status,
        };
        if (HttpExchange.SingleHeader(response, "Stream-Next-Offset") is { } offset)
        {
            result["offset"] = offset;
        }

        result["duplicate"] = response.StatusCode == HttpStatusCode.NoContent;
        AddInteger(result, "producerEpoch", HttpExchange.SingleHeader(response, "Producer-Epoch"));
        AddInteger(result, "producerSeq", HttpExchange.SingleHeader(response, "Producer-Seq"));
        AddInteger(result, "producerExpectedSeq", HttpExchange.SingleHeader(response, "Producer-Expected-Seq"));
        AddInteger(result, "producerReceivedSeq", HttpExchange.SingleHeader(response, "Producer-Received-Seq"));
        return result;
    }

    // Like JavaScript parseInt: the leading integer, or NaN (which equals nothing) when there is none.
    private static void AddInteger(JsonObject result, string name, string? headerValue)
    {
        if (string.IsNullOrEmpty(headerValue))
        {
            return;
        }

        var match = LeadingInteger().Match(headerValue);
        result[name] = match.Success && long.TryParse(match.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? JsonValue.Create(value)
            : JsonValue.Create(double.NaN);
    }

    [GeneratedRegex(@"^\s*[-+]?\d+")]
    private static partial Regex LeadingInteger();
}
