using System.Diagnostics;
using DurableStreams.Telemetry;

namespace DurableStreams.Http;

internal sealed partial class ProtocolHttpClient
{
    /// <summary>
    /// Sends until a success (2xx or 304) and returns the response with its body unread; the caller
    /// owns it. Throws the mapped exception otherwise. While nothing listens this is exactly the plain
    /// send; otherwise the request gets its span (or reports into the current outer span of ours) and
    /// its duration is recorded.
    /// </summary>
    public Task<HttpResponseMessage> SendAsync(StreamRequest request, CancellationToken cancellationToken) =>
        RequestTelemetry.Active ? SendObservedAsync(request, cancellationToken) : SendCoreAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> SendObservedAsync(StreamRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // Current while HttpClient sends, so its own spans nest under this one; the caller's current
        // activity is back in place when this method returns (async methods restore it).
        var span = RequestTelemetry.Start(request, out var owned);
        HttpResponseMessage response;
        try
        {
            response = await SendCoreAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            RequestTelemetry.Failed(span, owned, request, ex, started);
            throw;
        }
        RequestTelemetry.Answered(span, owned, request, response, started);
        return response;
    }
}
