using System.Net;
using System.Net.Sockets;

namespace DurableStreams.Extensions.Hosting.Tests;

/// <summary>Counts what reaches the wire, by operation, with each request's duration and outcome.</summary>
internal sealed class RecordingHandler : DelegatingHandler
{
    private readonly List<(string? Operation, TimeSpan Duration, string Outcome)> _sent = [];

    public IReadOnlyList<(string? Operation, TimeSpan Duration, string Outcome)> Sent
    {
        get { lock (_sent) return [.. _sent]; }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var operation = DurableStreamHttpRequests.Operation(request);
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            Record(operation, started, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }
        catch (Exception ex)
        {
            Record(operation, started, ex.GetType().Name);
            throw;
        }
    }

    private void Record(string? operation, long started, string outcome)
    {
        lock (_sent) _sent.Add((operation, System.Diagnostics.Stopwatch.GetElapsedTime(started), outcome));
    }
}

internal static class Ports
{
    /// <summary>A loopback URL nothing listens on: connections to it are refused.</summary>
    public static Uri Dead()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/v1/stream/");
    }
}
