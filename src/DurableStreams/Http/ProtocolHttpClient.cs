using System.Net;
using DurableStreams.Logging;
using DurableStreams.Telemetry;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Http;

/// <summary>
/// Sends protocol requests: builds a fresh message per attempt (re-evaluating dynamic values),
/// retries what is safe to retry with backoff and <c>Retry-After</c>, maps failures to typed
/// exceptions and offers them to the on-error hook.
/// </summary>
internal sealed partial class ProtocolHttpClient
{
    /// <summary>An error body is read up to this many bytes (the rest is not wanted).</summary>
    private const int MaxErrorBodyBytes = 8 * 1024;

    private readonly Func<HttpClient> _http;
    private readonly DurableStreamClientOptions _options;
    private readonly ILogger _logger;
    private readonly Random _random = Random.Shared;
    private readonly AttemptTimeouts _timeouts = new();

    public ProtocolHttpClient(Func<HttpClient> http, DurableStreamClientOptions options, ILogger logger)
    {
        _http = http;
        _options = options;
        _logger = logger;
    }

    public DurableStreamClientOptions Options => _options;
    public ILogger Logger => _logger;
    public TimeProvider Time => _options.TimeProvider;

    /// <summary>The send itself, retries included (see <c>SendAsync</c> for the observed entry point).</summary>
    private async Task<HttpResponseMessage> SendCoreAsync(StreamRequest request, CancellationToken cancellationToken)
    {
        var retry = _options.Retry;
        var attempt = 0;
        long failingSince = 0;
        var recoveries = 0;
        var overrides = request.Overrides;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            HttpResponseMessage? response = null;
            DurableStreamException? failure;
            TimeSpan? retryAfter = null;
            bool retryable;
            using (var message = await BuildAsync(request, overrides, cancellationToken).ConfigureAwait(false))
            {
                // HttpClient.Timeout only bounds the headers and is shared by every call; keep our own per attempt.
                var timeout = request.Timeout ?? _options.RequestTimeout;
                var timer = _timeouts.Start(cancellationToken, timeout);
                Exception? sendFailure = null;
                try
                {
                    response = await _http().SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timer.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    sendFailure = new TimeoutException($"No response within {timeout.TotalSeconds:0.###} s.", ex);
                }
                catch (OperationCanceledException ex) when (ex.CancellationToken != cancellationToken)
                {
                    // Callers match on their own token; the per-attempt token is an internal detail.
                    throw new OperationCanceledException(ex.Message, ex, cancellationToken);
                }
                catch (Exception ex) when ((ex is HttpRequestException or IOException || RejectedByPipeline(ex)) && !cancellationToken.IsCancellationRequested)
                {
                    sendFailure = ex;
                }
                catch (Exception ex) when (CancellationRace.Lost(ex, cancellationToken))
                {
                    if (!NothingWasSent(ex)) request.MaybeDelivered = true;
                    throw CancellationRace.Cancelled(ErrorMapper.Network(request, ex), cancellationToken);
                }
                finally
                {
                    _timeouts.End(timer, response is { IsSuccessStatusCode: true });
                }
                if (response is null)
                {
                    var network = sendFailure!; // only a caught send failure leaves no response
                    if (network is TimeoutException && cancellationToken.IsCancellationRequested)
                    {
                        // The caller cancelled while the timeout was being reported: that cancellation wins.
                        request.MaybeDelivered = true;
                        throw CancellationRace.Cancelled(ErrorMapper.Network(request, network), cancellationToken);
                    }
                    failure = ErrorMapper.Network(request, network);
                    if (!NothingWasSent(network)) request.MaybeDelivered = true;
                    retryable = request.RetryClass == RetryClass.Idempotent || NothingWasSent(network);
                    goto Failed;
                }
            }

            Log.Response(_logger, request.Method.Method, request.Url.AbsolutePath, (int)response.StatusCode);
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
                return BoundBody(request, response);

            using (response)
            {
                var body = await ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
                failure = ErrorMapper.FromResponse(request, response, body, Time);
                retryAfter = ResponseHeaderReader.RetryAfter(response, Time);
                if (ErrorMapper.MayHaveStored(response.StatusCode)) request.MaybeDelivered = true;
                retryable = request.RetryClass == RetryClass.Idempotent
                    ? ErrorMapper.IsTransient(response.StatusCode)
                    : ErrorMapper.StoredNothing(response.StatusCode);
            }

        Failed:
            if (attempt == 0) failingSince = Time.GetTimestamp();
            if (retryable && CanRetry(request, attempt, failingSince))
            {
                var delay = retry.Backoff(attempt, _random);
                if (retryAfter is { } ra)
                {
                    if (ra > retry.MaxRetryAfter) ra = retry.MaxRetryAfter;
                    if (ra > delay) delay = ra;
                }
                attempt++;
                Log.Retrying(_logger, request.Method.Method, request.Url.AbsolutePath, delay.TotalMilliseconds, attempt, failure.Code, failure.Message);
                RequestTelemetry.Retrying(request, failure, delay, attempt);
                await Task.Delay(delay, Time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (request.Kind is RequestKind.Append or RequestKind.Close)
                failure.Outcome = request.MaybeDelivered ? WriteOutcome.Unknown : WriteOutcome.NotStored;
            if (_options.OnError is { } onError && recoveries < _options.MaxErrorRecoveries)
            {
                var recovery = await onError(failure, cancellationToken).ConfigureAwait(false);
                if (recovery is not null)
                {
                    overrides ??= new RequestOverrides();
                    overrides.Apply(recovery);
                    recoveries++;
                    attempt = 0;
                    Log.Recovered(_logger, request.Method.Method, request.Url.AbsolutePath, failure.Code);
                    RequestTelemetry.Recovered();
                    continue;
                }
            }
            // Logged once, when nothing more will be tried: with the exception, as the caller gets it.
            Log.RequestFailed(_logger, FailureLevel(request, failure), request.Method.Method, request.Url.AbsolutePath, failure.Code, failure.Message, failure);
            throw failure;
        }
    }

    /// <summary>Whether the request's retry budget (by default <see cref="RetryOptions.MaxRetries"/> retries) allows another attempt.</summary>
    private bool CanRetry(StreamRequest request, int retries, long failingSince) =>
        request.RetryBudget is { } budget
            ? budget.CanRetry(retries, Time.GetElapsedTime(failingSince))
            : retries < _options.Retry.MaxRetries;

    /// <summary>
    /// Answers about the stream itself (404, 409, 410) are outcomes callers handle: Information. A caller
    /// that reports the failure itself gets Debug. Anything else is a Warning.
    /// </summary>
    private static LogLevel FailureLevel(StreamRequest request, DurableStreamException failure) =>
        request.FailureReportedByCaller ? LogLevel.Debug : Log.FailureLevel(failure);

    /// <summary>
    /// A resilience pipeline of the app's (Polly: open circuit, rate limit, its own timeout) refused or cut the
    /// attempt. Matched by name so the client does not depend on Polly.
    /// </summary>
    private static bool RejectedByPipeline(Exception ex)
    {
        for (var type = ex.GetType(); type is not null; type = type.BaseType)
            if (type.FullName == "Polly.ExecutionRejectedException") return true;
        return false;
    }

    /// <summary>A refused connection never reached the server, so even a non-idempotent write is safe to resend.</summary>
    private static bool NothingWasSent(Exception ex) =>
        ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    /// <summary>
    /// A read's body gets a stall deadline and a size bound (SSE bodies are endless by design and have
    /// their own idle watchdog; write answers carry no body worth bounding). A long-poll server may send
    /// its headers before the data it holds for, so the first bytes of a long-poll body get the
    /// long-poll timeout on top; once the body flows, a stall is a stall.
    /// </summary>
    private HttpResponseMessage BoundBody(StreamRequest request, HttpResponseMessage response)
    {
        if (request.Kind != RequestKind.Read) return response;
        var stall = _options.RequestTimeout;
        var firstStall = stall;
        if (request.HasQuery)
            foreach (var (name, value) in request.Query)
            {
                if (name != ProtocolNames.LiveParam) continue;
                if (value == "sse") return response;
                if (value == "long-poll") firstStall += _options.LongPollTimeout;
            }
        return BoundedResponseContent.Wrap(response, new BodyLimits(stall, firstStall, _options.MaxResponseBytes, request));
    }

    /// <summary>The first <see cref="MaxErrorBodyBytes"/> of an error body, or null when it cannot be read within the request timeout.</summary>
    private async Task<string?> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.RequestTimeout);
        var buffer = new byte[MaxErrorBodyBytes];
        var length = 0;
        try
        {
            var body = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                int read;
                while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), deadline.Token).ConfigureAwait(false)) > 0)
                    length += read;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException
            || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            if (length == 0) return null; // what arrived before the failure is still worth reporting
        }
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    // A ValueTask: with only static header values it completes at once and allocates nothing.
    private async ValueTask<HttpRequestMessage> BuildAsync(StreamRequest request, RequestOverrides? overrides, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(request.Method, await RequestUriAsync(request, overrides, cancellationToken).ConfigureAwait(false));
        DurableStreamHttpRequests.Mark(message, request);
        // While nothing else was set, the protocol headers are added without first removing the name.
        var replace = false;
        foreach (var (name, value) in _options.Headers)
        {
            var resolved = await value.ResolveAsync(cancellationToken).ConfigureAwait(false);
            if (resolved is not null) SetHeader(message, name, resolved, replace = true);
        }
        if (overrides is not null)
        {
            if (overrides.HasHeaders) foreach (var (name, value) in overrides.Headers) SetHeader(message, name, value, replace = true);
        }
        if (request.HasHeaders) foreach (var (name, value) in request.Headers) SetHeader(message, name, value, replace);

        if (request.Body is { } body)
        {
            message.Content = body.CreateContent();
        }
        else if (request.ContentType is not null && request.Method != HttpMethod.Get && request.Method != HttpMethod.Head)
        {
            message.Content = new ByteArrayContent([]);
        }
        if (message.Content is not null && request.ContentType is not null)
        {
            // Sent as given (no parse per request); the server judges it.
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }
        return message;
    }

    /// <summary>
    /// The URL with its query: protocol parameters win over per-call, on-error and client-wide ones;
    /// names are sorted so equal reads give equal URLs (and share cache entries).
    /// </summary>
    private async ValueTask<Uri> RequestUriAsync(StreamRequest request, RequestOverrides? overrides, CancellationToken cancellationToken)
    {
        // Common case, one per read and per write: only protocol parameters, so no merge is needed.
        if (_options.QueryParameters.Count == 0 && overrides?.HasQuery != true)
            return request.HasQuery ? ProtocolQuery.Append(request.Url, request.Query) : request.Url;

        var query = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in _options.QueryParameters)
        {
            if (ProtocolNames.IsReserved(name)) continue;
            var resolved = await value.ResolveAsync(cancellationToken).ConfigureAwait(false);
            if (resolved is not null) query[name] = resolved;
        }
        if (overrides?.HasQuery == true)
        {
            foreach (var (name, value) in overrides.Query)
                if (!ProtocolNames.IsReserved(name)) query[name] = value;
        }
        if (request.HasQuery) foreach (var (name, value) in request.Query) query[name] = value;
        return ProtocolQuery.AppendSorted(request.Url, query);
    }

    private static void SetHeader(HttpRequestMessage message, string name, string value, bool replace)
    {
        if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) return; // owned by the content
        if (replace) message.Headers.Remove(name);
        message.Headers.TryAddWithoutValidation(name, value);
    }
}
