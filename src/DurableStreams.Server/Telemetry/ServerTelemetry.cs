using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DurableStreams.Server.Telemetry;

/// <summary>
/// The server's one <see cref="ActivitySource"/> and the span of each protocol request. Every method is a no-op
/// (and allocates nothing) when no listener samples the span.
/// </summary>
internal static class ServerTelemetry
{
    public static readonly string Version =
        typeof(ServerTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";

    public static readonly ActivitySource Source = new(DurableStreamsServerTelemetry.ActivitySourceName, Version);

    /// <summary>The route of the mapped streams ("/v1/stream/{**streamPath}"): the low-cardinality stand-in for the path.</summary>
    public static string? Template(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint endpoint ? endpoint.RoutePattern.RawText : null;

    /// <summary>
    /// Starts the request's span: a child of ASP.NET Core's request activity when there is one, else a server span
    /// continuing the caller's W3C trace context. Null when nobody listens.
    /// </summary>
    public static Activity? StartRequest(HttpContext context, ServerOperation operation, string path)
    {
        if (!Source.HasListeners()) return null;
        var template = Template(context);
        var name = template is null ? operation.Name : operation.Name + " " + template;
        Activity? activity;
        if (Activity.Current is not null)
        {
            activity = Source.StartActivity(name, ActivityKind.Internal);
        }
        else
        {
            DistributedContextPropagator.Current.ExtractTraceIdAndState(context.Request.Headers, GetHeader, out var parent, out var state);
            ActivityContext.TryParse(parent, state, isRemote: true, out var parentContext);
            activity = Source.StartActivity(name, ActivityKind.Server, parentContext);
        }
        if (activity is not { IsAllDataRequested: true }) return activity;

        activity.SetTag(Attributes.MessagingSystem, DurableStreamsServerTelemetry.MessagingSystem);
        activity.SetTag(Attributes.OperationName, operation.Name);
        if (operation.Type is not null) activity.SetTag(Attributes.OperationType, operation.Type);
        activity.SetTag(Attributes.DestinationName, path);
        if (template is not null) activity.SetTag(Attributes.DestinationTemplate, template);
        if (operation.LiveMode is not null) activity.SetTag(Attributes.LiveMode, operation.LiveMode);
        return activity;
    }

    /// <summary>Ends the span with the response status; 4xx and 5xx are errors (a rejected operation failed).</summary>
    public static void StopRequest(Activity activity, int status, Exception? exception)
    {
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(Attributes.HttpStatusCode, status);
            if (exception is not null)
            {
                activity.SetTag(Attributes.ErrorType, exception.GetType().FullName);
                activity.AddException(exception);
                activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            }
            else if (status >= 400)
            {
                activity.SetTag(Attributes.ErrorType, ErrorType(status));
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }
        activity.Dispose();
    }

    /// <summary>error.type of a failed response: its status code, a small fixed set of strings.</summary>
    public static string ErrorType(int status) => status switch
    {
        400 => "400",
        403 => "403",
        404 => "404",
        405 => "405",
        409 => "409",
        410 => "410",
        413 => "413",
        500 => "500",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };

    public static void SetOffset(this Activity? activity, string? offset)
    {
        if (activity is { IsAllDataRequested: true } && offset is not null) activity.SetTag(Attributes.Offset, offset);
    }

    public static void SetNextOffset(this Activity? activity, string? offset)
    {
        if (activity is { IsAllDataRequested: true } && offset is not null) activity.SetTag(Attributes.NextOffset, offset);
    }

    public static void SetClosed(this Activity? activity, bool closed)
    {
        if (activity is { IsAllDataRequested: true } && closed) activity.SetTag(Attributes.StreamClosed, true);
    }

    public static void SetMessageCount(this Activity? activity, long count)
    {
        if (activity is { IsAllDataRequested: true }) activity.SetTag(Attributes.MessageCount, count);
    }

    public static void SetProducer(this Activity? activity, string? id, string? epoch, string? seq)
    {
        if (activity is not { IsAllDataRequested: true } || id is null) return;
        activity.SetTag(Attributes.ProducerId, id);
        if (long.TryParse(epoch, NumberStyles.None, CultureInfo.InvariantCulture, out var e)) activity.SetTag(Attributes.ProducerEpoch, e);
        if (long.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out var s)) activity.SetTag(Attributes.ProducerSeq, s);
    }

    public static void SetTagIfSampled(this Activity? activity, string name, string? value)
    {
        if (activity is { IsAllDataRequested: true } && value is not null) activity.SetTag(name, value);
    }

    private static void GetHeader(object? carrier, string name, out string? value, out IEnumerable<string>? values)
    {
        values = null;
        value = carrier is IHeaderDictionary headers && headers.TryGetValue(name, out var found) ? found.ToString() : null;
    }
}

/// <summary>Attribute (and tag) names: OpenTelemetry messaging conventions, then the protocol's own.</summary>
internal static class Attributes
{
    public const string MessagingSystem = "messaging.system";
    public const string OperationName = "messaging.operation.name";
    public const string OperationType = "messaging.operation.type";
    public const string DestinationName = "messaging.destination.name";
    public const string DestinationTemplate = "messaging.destination.template";
    public const string MessageCount = "messaging.batch.message_count";
    public const string HttpStatusCode = "http.response.status_code";
    public const string ErrorType = "error.type";
    public const string Offset = "durable_streams.offset";
    public const string NextOffset = "durable_streams.next_offset";
    public const string LiveMode = "durable_streams.live_mode";
    public const string StreamClosed = "durable_streams.stream.closed";
    public const string ProducerId = "durable_streams.producer.id";
    public const string ProducerEpoch = "durable_streams.producer.epoch";
    public const string ProducerSeq = "durable_streams.producer.seq";
    public const string ForkSource = "durable_streams.fork.source";
    public const string ContentType = "durable_streams.content_type";
}
