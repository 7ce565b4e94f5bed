using System.Globalization;
using System.Text.Json.Nodes;
using DurableStreams.Conformance.Json;
using DurableStreams.Conformance.Runner;

namespace DurableStreams.Conformance.Http;

/// <summary>The reference server's <c>/_test/inject-error</c> control endpoint (<c>inject-error</c>, <c>clear-errors</c>).</summary>
internal sealed class FaultInjection(HttpClient http, string baseUrl)
{
    private const string EndpointPath = "/_test/inject-error";

    public async Task<RunnerHttpResult> InjectAsync(JsonObject fault, CancellationToken cancellationToken)
    {
        var url = baseUrl + EndpointPath;
        var body = CompactJson.Stringify(fault);
        List<KeyValuePair<string, string>> headers = [new("content-type", "application/json")];
        var sent = HttpExchange.Describe(HttpMethod.Post, url, headers, body);
        try
        {
            using var request = HttpExchange.Build(HttpMethod.Post, url, headers, body);
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new StepFailedException($"Failed to inject fault: {status} {answer}", sent);
            }

            return new RunnerHttpResult(sent, Result: null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new StepFailedException($"Failed to inject fault: {ex.Message}", sent, ex);
        }
    }

    /// <summary>Removes every fault on the server (all paths); the answer's status is irrelevant.</summary>
    public async Task<RunnerHttpResult> ClearAsync(CancellationToken cancellationToken)
    {
        var url = baseUrl + EndpointPath;
        var sent = HttpExchange.Describe(HttpMethod.Delete, url, [], body: null);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, url);
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return new RunnerHttpResult(sent, Result: null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new StepFailedException($"Failed to clear faults: {ex.Message}", sent, ex);
        }
    }
}
