using System.Globalization;
using System.Text.Json;
using DurableStreams.Server.Endpoints;
using Microsoft.AspNetCore.Http;

namespace DurableStreams.Server.Testing;

/// <summary>
/// Test-only fault injection (enabled by <see cref="DurableStreamsServerOptions.EnableTestFaultInjection"/>):
/// <c>POST /_test/inject-error</c> arms a fault for a path, <c>DELETE</c> clears them all; stream requests
/// then consume matching faults (error status, delay, dropped connection, truncated or corrupted body,
/// an injected SSE event).
/// </summary>
internal sealed class FaultInjector
{
    public const string ControlPath = "/_test/inject-error";
    private const string ItemKey = "DurableStreams.Fault";

    private readonly Dictionary<string, InjectedFault> _faults = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The control endpoint.</summary>
    public async Task HandleControlAsync(HttpContext context)
    {
        SecurityHeaders.Apply(context.Response);
        switch (context.Request.Method)
        {
            case "POST":
                InjectedFault? fault;
                try
                {
                    fault = await JsonSerializer.DeserializeAsync(context.Request.Body, FaultJsonContext.Default.InjectedFault, context.RequestAborted).ConfigureAwait(false);
                }
                catch (JsonException)
                {
                    await HttpResults.Error(context.Response, 400, "Invalid JSON body").ConfigureAwait(false);
                    return;
                }
                if (fault?.Path is not { Length: > 0 } path)
                {
                    await HttpResults.Error(context.Response, 400, "Missing required field: path").ConfigureAwait(false);
                    return;
                }
                if (!fault.HasFault)
                {
                    await HttpResults.Error(context.Response, 400, "Must specify at least one fault type").ConfigureAwait(false);
                    return;
                }
                lock (_gate) _faults[path] = fault;
                await WriteOkAsync(context.Response).ConfigureAwait(false);
                return;
            case "DELETE":
                lock (_gate) _faults.Clear();
                await WriteOkAsync(context.Response).ConfigureAwait(false);
                return;
            default:
                await HttpResults.Error(context.Response, 405, "Method not allowed").ConfigureAwait(false);
                return;
        }
    }

    /// <summary>
    /// Applies an armed fault to a stream request. True when the request has been fully answered (error status
    /// or dropped connection); body and SSE faults are left for <see cref="ModifyBody"/> and <see cref="SseEvent"/>.
    /// </summary>
    public async Task<bool> TryApplyAsync(HttpContext context, string path)
    {
        var fault = Consume(path, context.Request.Method);
        if (fault is null) return false;

        if (fault.DelayMs is > 0 and var delay)
        {
            var jitter = fault.JitterMs is > 0 and var j ? Random.Shared.Next(j) : 0;
            await Task.Delay(delay + jitter, context.RequestAborted).ConfigureAwait(false);
        }
        if (fault.DropConnection)
        {
            context.Abort();
            return true;
        }
        if (fault.Status is { } status)
        {
            if (fault.RetryAfter is { } retryAfter) context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await HttpResults.Error(context.Response, status, "Injected error for testing").ConfigureAwait(false);
            return true;
        }
        context.Items[ItemKey] = fault;
        return false;
    }

    /// <summary>Truncates or corrupts a catch-up body when the request's fault asks for it.</summary>
    public static byte[] ModifyBody(HttpContext context, byte[] body)
    {
        if (context.Items[ItemKey] is not InjectedFault fault) return body;
        if (fault.TruncateBodyBytes is { } limit && body.Length > limit) body = body[..limit];
        if (fault.CorruptBody && body.Length > 0)
        {
            body = (byte[])body.Clone();
            body[0] = (byte)'X';
            if (body.Length > 1) body[1] = (byte)'Y';
            for (var i = 0; i < Math.Max(1, body.Length / 10); i++) body[Random.Shared.Next(body.Length)] = (byte)'Z';
        }
        return body;
    }

    /// <summary>The extra SSE event the request's fault asks for, if any.</summary>
    public static InjectedSseEvent? SseEvent(HttpContext context) =>
        context.Items[ItemKey] is InjectedFault fault ? fault.InjectSseEvent : null;

    private InjectedFault? Consume(string path, string method)
    {
        lock (_gate)
        {
            if (!_faults.TryGetValue(path, out var fault)) return null;
            if (fault.Method is { } only && !string.Equals(only, method, StringComparison.OrdinalIgnoreCase)) return null;
            if (fault.Probability is { } p && Random.Shared.NextDouble() > p) return null;
            if (--fault.Count <= 0) _faults.Remove(path);
            return fault;
        }
    }

    private static Task WriteOkAsync(HttpResponse response)
    {
        response.StatusCode = 200;
        response.ContentType = "application/json";
        return response.Body.WriteAsync("{\"ok\":true}"u8.ToArray()).AsTask();
    }
}
