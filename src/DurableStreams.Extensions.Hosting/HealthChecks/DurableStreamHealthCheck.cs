using System.Globalization;
using System.Net;
using DurableStreams;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DurableStreams.Extensions.Hosting.HealthChecks;

/// <summary>
/// Probes a Durable Streams server with one HEAD, without retries (a failing probe is the signal, and the
/// next run probes again): of a stream, healthy when it exists; or of the client's base address, healthy
/// when the server answers at all (any status below 500). What it reports names the stream by its path
/// only: never a query string, user info or header value.
/// </summary>
internal sealed class DurableStreamHealthCheck(DurableStreamClient client, string? streamPath, TimeSpan timeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failure = context.Registration.FailureStatus;
        Uri target;
        try
        {
            target = streamPath is null
                ? client.BaseAddress ?? throw new InvalidOperationException("The Durable Streams client has no BaseAddress to probe.")
                : client.ResolveUrl(streamPath);
        }
        catch (InvalidOperationException ex)
        {
            return new HealthCheckResult(failure, ex.Message, ex);
        }

        var data = new Dictionary<string, object> { ["url"] = target.AbsolutePath };
        using var deadline = new CancellationTokenSource(timeout, client.Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var metadata = await client.GetStream(target.AbsoluteUri).HeadAsync(linked.Token).ConfigureAwait(false);
            if (streamPath is null) return HealthCheckResult.Healthy($"The server answered HEAD {target.AbsolutePath}.", data);
            if (metadata.Offset is { } offset) data["offset"] = offset.ToString();
            data["closed"] = metadata.Closed;
            return HealthCheckResult.Healthy($"Stream {target.AbsolutePath} exists{(metadata.Closed ? " (closed)" : "")}.", data);
        }
        catch (DurableStreamException ex) when (streamPath is null && ex.Status is { } status && (int)status < 500)
        {
            // Any answer short of a server error means the server is up; the base address need not be a stream.
            data["status"] = (int)status;
            return HealthCheckResult.Healthy($"The server answered HEAD {target.AbsolutePath} with {(int)status}.", data);
        }
        catch (DurableStreamException ex)
        {
            data["error"] = ex.Code.ToString();
            if (ex.Status is { } status) data["status"] = (int)status;
            return new HealthCheckResult(failure, Describe(ex, target), ex, data);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            data["error"] = "Timeout";
            var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return new HealthCheckResult(failure, $"No answer to HEAD {target.AbsolutePath} within {seconds} s.", ex, data);
        }
    }

    private static string Describe(DurableStreamException ex, Uri target) => ex switch
    {
        StreamNotFoundException => $"Stream {target.AbsolutePath} does not exist (404).",
        DurableStreamNetworkException => $"The server cannot be reached: {ex.Message}",
        _ when ex.Status is HttpStatusCode status => $"HEAD {target.AbsolutePath} failed with {(int)status}: {ex.Message}",
        _ => ex.Message,
    };
}
