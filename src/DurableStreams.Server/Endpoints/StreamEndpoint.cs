using System.Diagnostics;
using DurableStreams.Server.Telemetry;
using DurableStreams.Server.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Server.Endpoints;

/// <summary>Entry point for every request under the mapped prefix: security headers, then one handler per method.</summary>
internal sealed class StreamEndpoint(
    CreateHandler create,
    AppendHandler append,
    ReadHandler read,
    HeadHandler head,
    DeleteHandler delete,
    DurableStreamsServerOptions options,
    FaultInjector faults,
    ServerMetrics metrics,
    ILogger<StreamEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        SecurityHeaders.Apply(response);
        // The stream's identity is its full URL path, as Stream-Forked-From names it.
        var path = (request.PathBase + request.Path).Value ?? "/";
        // The server option, not Kestrel's 30 MB default, decides when a body is too large (413).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = options.MaxRequestBodyBytes;

        var started = Stopwatch.GetTimestamp();
        var operation = ServerOperation.Classify(request);
        var activity = operation is { } op ? ServerTelemetry.StartRequest(context, op, path) : null;
        Exception? failure = null;
        try
        {
            if (options.EnableTestFaultInjection && await faults.TryApplyAsync(context, path).ConfigureAwait(false)) return;
            switch (request.Method)
            {
                case "OPTIONS": await HttpResults.Empty(response, StatusCodes.Status204NoContent).ConfigureAwait(false); break;
                case "PUT": await create.HandleAsync(context, path, activity).ConfigureAwait(false); break;
                case "POST": await append.HandleAsync(context, path, activity).ConfigureAwait(false); break;
                case "GET": await read.HandleAsync(context, path, activity).ConfigureAwait(false); break;
                case "HEAD": head.Handle(context, path, activity); break;
                case "DELETE": await delete.HandleAsync(context, path).ConfigureAwait(false); break;
                default: await HttpResults.Error(response, StatusCodes.Status405MethodNotAllowed, "Method not allowed").ConfigureAwait(false); break;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (BadHttpRequestException ex) when (!response.HasStarted)
        {
            await HttpResults.Error(response, ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request").ConfigureAwait(false);
        }
        catch (Exception ex) when (!response.HasStarted)
        {
            failure = ex;
            Log.Failed(logger, ex, request.Method, path);
            await HttpResults.Error(response, StatusCodes.Status500InternalServerError, "Internal server error").ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Mid-response (an SSE stream): nothing can be answered any more; the host aborts the connection.
            failure = ex;
            Log.FailedAfterStart(logger, ex, request.Method, path);
            throw;
        }
        finally
        {
            if (operation is { } done) metrics.RequestDone(context, done, started, response.StatusCode, failure);
            if (activity is not null) ServerTelemetry.StopRequest(activity, response.StatusCode, failure);
        }

        if (response.StatusCode is >= 400 and < 500) Log.Rejected(logger, request.Method, path, response.StatusCode, HttpResults.Reason(context));
    }
}
