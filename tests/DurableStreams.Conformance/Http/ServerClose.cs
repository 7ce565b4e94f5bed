using System.Text.Json.Nodes;
using DurableStreams.Conformance.Runner;

namespace DurableStreams.Conformance.Http;

/// <summary><c>server-close</c>: closes a stream with plain HTTP, e.g. under a client's live read.</summary>
internal sealed class ServerClose(HttpClient http, string baseUrl)
{
    public async Task<RunnerHttpResult> ExecuteAsync(
        string path, string? data, string? contentType, JsonNode? yamlHeaders, CancellationToken cancellationToken)
    {
        var url = baseUrl + path;
        var headers = HttpExchange.MergeHeaders(
            [new("Stream-Closed", "true")],
            data is not null && contentType is not null ? [new("content-type", contentType)] : [],
            HttpExchange.FromYaml(yamlHeaders));
        var sent = HttpExchange.Describe(HttpMethod.Post, url, headers, data);
        try
        {
            using var request = HttpExchange.Build(HttpMethod.Post, url, headers, data);
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);

            // The status is deliberately not checked; only the final offset is observable.
            var result = new JsonObject
            {
                ["type"] = "close",
                ["success"] = true,
                ["finalOffset"] = HttpExchange.SingleHeader(response, "Stream-Next-Offset") ?? string.Empty,
            };
            return new RunnerHttpResult(sent, result);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new StepFailedException($"Server close failed: {ex.Message}", sent, ex);
        }
    }
}
