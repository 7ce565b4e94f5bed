using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DurableStreams.Http;

namespace DurableStreams.Subscriptions;

/// <summary>
/// The subscription APIs of a Durable Streams server (PROTOCOL.md sections 6 and 7): create, read and delete
/// subscriptions, manage their explicit streams, and the delivery calls (claim, ack, release, webhook callback)
/// that pull-wake workers and webhook receivers are built on. Requests go through the
/// <see cref="DurableStreamClient"/>'s pipeline (headers, retries, telemetry); failures are typed
/// (<see cref="SubscriptionException"/> and its subclasses).
/// </summary>
public sealed class SubscriptionClient
{
    private const string Json = "application/json";
    private readonly ProtocolHttpClient _http;

    /// <summary>Subscriptions of the server behind <paramref name="client"/>.</summary>
    /// <param name="client">The client whose connection pool, options and logging the requests use.</param>
    /// <param name="streamRoot">
    /// The stream root (the URL that stream-root-relative paths such as <c>events/abc</c> resolve against), absolute or
    /// relative to the client's base address; the client's <see cref="DurableStreamClient.BaseAddress"/> when omitted.
    /// </param>
    public SubscriptionClient(DurableStreamClient client, string? streamRoot = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
        var root = streamRoot is null
            ? client.BaseAddress ?? throw new InvalidOperationException("The client has no BaseAddress: pass the stream root.")
            : client.ResolveUrl(streamRoot);
        StreamRoot = root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/");
        _http = client.Http;
    }

    /// <summary>The client the requests go through.</summary>
    public DurableStreamClient Client { get; }

    /// <summary>The stream root (ends with <c>/</c>); subscription paths are relative to it.</summary>
    public Uri StreamRoot { get; }

    /// <summary>The URL of a stream-root-relative stream path.</summary>
    public Uri StreamUrl(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new Uri(StreamRoot, path.TrimStart('/'));
    }

    /// <summary>
    /// Creates subscription <paramref name="id"/>, or re-confirms it when an identical one exists
    /// (<see cref="SubscriptionCreateResult.Created"/> tells which).
    /// </summary>
    /// <exception cref="SubscriptionConflictException">It exists with another definition.</exception>
    /// <exception cref="SubscriptionException">The server refused the definition (400, for example a rejected webhook URL).</exception>
    public async Task<SubscriptionCreateResult> CreateAsync(string id, SubscriptionDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        definition.Validate();
        using var response = await SendAsync(HttpMethod.Put, SubscriptionUrl(id), Body(definition, SubscriptionJsonContext.Default.SubscriptionDefinition),
            RetryClass.Idempotent, cancellationToken).ConfigureAwait(false);
        var subscription = await ReadAsync(response, SubscriptionJsonContext.Default.Subscription, cancellationToken).ConfigureAwait(false);
        return new SubscriptionCreateResult(subscription, response.StatusCode == HttpStatusCode.Created);
    }

    /// <summary>Reads subscription <paramref name="id"/>, or <see langword="null"/> when it does not exist.</summary>
    public async Task<Subscription?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, SubscriptionUrl(id), null, RetryClass.Idempotent, cancellationToken, quiet: true).ConfigureAwait(false);
            return await ReadAsync(response, SubscriptionJsonContext.Default.Subscription, cancellationToken).ConfigureAwait(false);
        }
        catch (SubscriptionNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Deletes subscription <paramref name="id"/> (idempotent); in-flight acks of it then fail.</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        using var _ = await SendAsync(HttpMethod.Delete, SubscriptionUrl(id), null, RetryClass.Idempotent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Links <paramref name="streams"/> explicitly, each at its current tail (idempotent).</summary>
    /// <exception cref="SubscriptionNotFoundException">The subscription does not exist.</exception>
    public async Task AddStreamsAsync(string id, IEnumerable<string> streams, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var list = streams.ToArray();
        if (list.Length == 0 || list.Any(string.IsNullOrEmpty)) throw new ArgumentException("Pass one or more non-empty stream paths.", nameof(streams));
        using var _ = await SendAsync(HttpMethod.Post, SubscriptionUrl(id, "streams"), Body(new StreamsRequest(list), SubscriptionJsonContext.Default.StreamsRequest),
            RetryClass.Idempotent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the explicit link of <paramref name="stream"/> (idempotent); a matching glob link stays.</summary>
    /// <exception cref="SubscriptionNotFoundException">The subscription does not exist.</exception>
    public async Task RemoveStreamAsync(string id, string stream, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        // One path segment: the stream path's slashes travel encoded (%2F).
        using var _ = await SendAsync(HttpMethod.Delete, SubscriptionUrl(id, "streams/" + Uri.EscapeDataString(stream)), null,
            RetryClass.Idempotent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Claims the lease of pull-wake subscription <paramref name="id"/> for <paramref name="worker"/>.</summary>
    /// <exception cref="SubscriptionAlreadyClaimedException">Another worker holds it.</exception>
    /// <exception cref="SubscriptionNoPendingWorkException">Every stream is acked up to its tail.</exception>
    public async Task<SubscriptionClaim> ClaimAsync(string id, string worker, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(worker);
        // Not resent after an answer that may have landed: a second claim would meet our own lease.
        using var response = await SendAsync(HttpMethod.Post, SubscriptionUrl(id, "claim"), Body(new ClaimRequest(worker), SubscriptionJsonContext.Default.ClaimRequest),
            RetryClass.StoredNothingOnly, cancellationToken, quiet: true).ConfigureAwait(false);
        return await ReadAsync(response, SubscriptionJsonContext.Default.SubscriptionClaim, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Acks progress of a claimed wake and extends its lease (the heartbeat); with <paramref name="done"/> it also
    /// ends the wake and releases the lease.
    /// </summary>
    /// <param name="id">The subscription.</param>
    /// <param name="claim">The claim being acked.</param>
    /// <param name="acks">New cursors (may be empty: a pure heartbeat).</param>
    /// <param name="done">End the wake.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="SubscriptionFencedException">The wake is no longer current: the lease is lost.</exception>
    /// <exception cref="SubscriptionTokenRejectedException">The token was refused: the lease is lost.</exception>
    /// <exception cref="SubscriptionInvalidAckException">An ack was refused; none was applied.</exception>
    public async Task<SubscriptionAckResult> AckAsync(string id, SubscriptionClaim claim, IEnumerable<SubscriptionAck>? acks, bool done = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return await DeliveryAsync(SubscriptionUrl(id, "ack"), claim.Token, claim.WakeId, claim.Generation, acks, done, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives the lease of a claimed wake back without acking; pending work gets a new wake.</summary>
    /// <exception cref="SubscriptionFencedException">The wake is no longer current.</exception>
    public async Task ReleaseAsync(string id, SubscriptionClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var body = Body(new ReleaseRequest(claim.WakeId, claim.Generation), SubscriptionJsonContext.Default.ReleaseRequest);
        using var _ = await SendAsync(HttpMethod.Post, SubscriptionUrl(id, "release"), body, RetryClass.StoredNothingOnly, cancellationToken, bearer: claim.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// The webhook callback of a wake: acks progress, extends the lease, and with <paramref name="done"/> ends the wake.
    /// </summary>
    /// <param name="callbackUrl">The wake's <see cref="SubscriptionWebhookNotification.CallbackUrl"/>.</param>
    /// <param name="callbackToken">The wake's <see cref="SubscriptionWebhookNotification.CallbackToken"/>.</param>
    /// <param name="wakeId">The wake.</param>
    /// <param name="generation">The wake's generation.</param>
    /// <param name="acks">New cursors (may be empty).</param>
    /// <param name="done">End the wake.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="SubscriptionFencedException">The wake is no longer current.</exception>
    public Task<SubscriptionAckResult> CallbackAsync(Uri callbackUrl, string callbackToken, string wakeId, long generation,
        IEnumerable<SubscriptionAck>? acks, bool done, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callbackUrl);
        return DeliveryAsync(callbackUrl.IsAbsoluteUri ? callbackUrl : new Uri(StreamRoot, callbackUrl), callbackToken, wakeId, generation, acks, done, cancellationToken);
    }

    /// <summary>The webhook callback of a wake of subscription <paramref name="id"/>, at this server's callback URL.</summary>
    public Task<SubscriptionAckResult> CallbackAsync(string id, string callbackToken, string wakeId, long generation,
        IEnumerable<SubscriptionAck>? acks, bool done, CancellationToken cancellationToken = default) =>
        DeliveryAsync(SubscriptionUrl(id, "callback"), callbackToken, wakeId, generation, acks, done, cancellationToken);

    private async Task<SubscriptionAckResult> DeliveryAsync(Uri url, string token, string wakeId, long generation,
        IEnumerable<SubscriptionAck>? acks, bool done, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(wakeId);
        var list = acks?.ToArray();
        var body = Body(new AckRequest(wakeId, generation, list is { Length: > 0 } ? list : null, done ? true : null), SubscriptionJsonContext.Default.AckRequest);
        // A heartbeat may be resent (same cursors again change nothing); a "done" that landed would come back FENCED.
        var retry = done ? RetryClass.StoredNothingOnly : RetryClass.Idempotent;
        using var response = await SendAsync(HttpMethod.Post, url, body, retry, cancellationToken, bearer: token).ConfigureAwait(false);
        return await ReadAsync(response, SubscriptionJsonContext.Default.SubscriptionAckResult, cancellationToken).ConfigureAwait(false);
    }

    private Uri SubscriptionUrl(string id, string? action = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var path = "__ds/subscriptions/" + Uri.EscapeDataString(id);
        return new Uri(StreamRoot, action is null ? path : path + "/" + action);
    }

    private static RequestBody Body<TValue>(TValue value, JsonTypeInfo<TValue> typeInfo) =>
        RequestBody.FromMemory(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, RequestBody? body, RetryClass retry,
        CancellationToken cancellationToken, string? bearer = null, bool quiet = false)
    {
        var request = new StreamRequest
        {
            Method = method,
            Url = url,
            Kind = RequestKind.Subscription,
            RetryClass = retry,
            Body = body,
            ContentType = body is null ? null : Json,
            // Expected answers (a held lease, nothing to do, an absent subscription) are not worth a warning.
            FailureReportedByCaller = quiet,
        };
        if (bearer is not null) request.Headers["Authorization"] = "Bearer " + bearer;
        return _http.SendAsync(request, cancellationToken);
    }

    private static async Task<TValue> ReadAsync<TValue>(HttpResponseMessage response, JsonTypeInfo<TValue> typeInfo, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false)
                    ?? throw new JsonException("The body is JSON null.");
            }
            catch (JsonException ex)
            {
                throw new DurableStreamParseException($"Unreadable subscription answer from {response.RequestMessage?.Method} {Logging.UrlRedaction.Display(response.RequestMessage?.RequestUri ?? new Uri("about:blank"))}: {ex.Message}",
                    response.RequestMessage?.RequestUri, null, ex);
            }
        }
    }
}
