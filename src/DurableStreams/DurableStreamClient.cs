using DurableStreams.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableStreams;

/// <summary>
/// Entry point of the SDK: resolves stream URLs, holds the HTTP connection pool, options and
/// logging, and hands out <see cref="DurableStream"/> handles and reads.
/// </summary>
public sealed class DurableStreamClient : IDisposable
{
    private readonly HttpClient? _ownedHttpClient;

    /// <summary>A client with its own connection pool, for <paramref name="baseAddress"/>.</summary>
    /// <remarks><paramref name="options"/> is copied: later changes to it do not affect this client.</remarks>
    public DurableStreamClient(Uri baseAddress, DurableStreamClientOptions? options = null)
        : this(CreateHttpClient(), owns: true, WithBase(options, baseAddress))
    {
    }

    /// <summary>A client over an existing <see cref="HttpClient"/> (not disposed with the client).</summary>
    /// <remarks><paramref name="options"/> is copied: later changes to it do not affect this client.</remarks>
    public DurableStreamClient(HttpClient httpClient, DurableStreamClientOptions? options = null)
        : this(httpClient ?? throw new ArgumentNullException(nameof(httpClient)), owns: false, options?.Copy() ?? new())
    {
    }

    /// <summary>
    /// A client that asks <paramref name="httpClientSource"/> for an <see cref="HttpClient"/> for every request,
    /// the way <c>IHttpClientFactory.CreateClient(name)</c> is meant to be used, so the factory's handler
    /// rotation applies. The clients it returns are not disposed by this client.
    /// </summary>
    /// <remarks><paramref name="options"/> is copied: later changes to it do not affect this client.</remarks>
    public DurableStreamClient(Func<HttpClient> httpClientSource, DurableStreamClientOptions? options = null)
        : this(options?.Copy() ?? new(), httpClientSource ?? throw new ArgumentNullException(nameof(httpClientSource)))
    {
    }

    private DurableStreamClient(HttpClient httpClient, bool owns, DurableStreamClientOptions options)
        : this(options, () => httpClient)
    {
        if (owns) _ownedHttpClient = httpClient;
    }

    // Every public constructor ends here with a copy of the caller's options that nobody else holds.
    private DurableStreamClient(DurableStreamClientOptions options, Func<HttpClient> httpClientSource)
    {
        options.Validate();
        Options = options;
        BaseAddress = BaseAddressNormalizer.Normalize(options.BaseAddress ?? httpClientSource().BaseAddress);
        var logger = options.LoggerFactory?.CreateLogger<DurableStreamClient>() ?? (ILogger)NullLogger.Instance;
        Http = new ProtocolHttpClient(httpClientSource, options, logger);
    }

    /// <summary>Where relative stream paths resolve.</summary>
    public Uri? BaseAddress { get; }

    /// <summary>The options in force.</summary>
    public DurableStreamClientOptions Options { get; }

    internal ProtocolHttpClient Http { get; }

    /// <summary>Resolves a path (relative to <see cref="BaseAddress"/>) or an absolute URL.</summary>
    public Uri ResolveUrl(string pathOrUrl)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathOrUrl);
        if (Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
            return absolute;
        if (BaseAddress is null)
            throw new InvalidOperationException($"'{Logging.UrlRedaction.Display(pathOrUrl)}' is relative and the client has no BaseAddress.");
        return new Uri(BaseAddress, pathOrUrl);
    }

    /// <summary>A handle on a stream; no I/O.</summary>
    public DurableStream GetStream(string pathOrUrl, string? contentType = null) => new(this, ResolveUrl(pathOrUrl), contentType);

    /// <summary>Creates a stream (or confirms an identical one exists) and returns its handle.</summary>
    public async Task<DurableStream> CreateStreamAsync(string pathOrUrl, CreateStreamOptions? options = null, CancellationToken cancellationToken = default)
    {
        var stream = GetStream(pathOrUrl, options?.ContentType);
        await stream.CreateAsync(options, cancellationToken).ConfigureAwait(false);
        return stream;
    }

    /// <summary>Returns a handle on an existing stream, checked with HEAD (throws <see cref="StreamNotFoundException"/>).</summary>
    public async Task<DurableStream> ConnectAsync(string pathOrUrl, CancellationToken cancellationToken = default)
    {
        var stream = GetStream(pathOrUrl);
        await stream.HeadAsync(cancellationToken).ConfigureAwait(false);
        return stream;
    }

    /// <summary>Starts a read of <paramref name="pathOrUrl"/>: the read-only entry point.</summary>
    public Task<StreamResponse> StreamAsync(string pathOrUrl, ReadOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStream(pathOrUrl).ReadAsync(options, cancellationToken);

    /// <summary>Blocking <see cref="CreateStreamAsync"/>.</summary>
    public DurableStream CreateStream(string pathOrUrl, CreateStreamOptions? options = null, CancellationToken cancellationToken = default) =>
        CreateStreamAsync(pathOrUrl, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="ConnectAsync"/>.</summary>
    public DurableStream Connect(string pathOrUrl, CancellationToken cancellationToken = default) =>
        ConnectAsync(pathOrUrl, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Synchronous <see cref="StreamAsync"/>.</summary>
    public StreamResponse Stream(string pathOrUrl, ReadOptions? options = null, CancellationToken cancellationToken = default) =>
        StreamAsync(pathOrUrl, options, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Releases the connection pool if the client created it.</summary>
    public void Dispose()
    {
        _ownedHttpClient?.Dispose();
    }

    private static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 64,
        })
        {
            // Per-attempt timeouts are the client's own; HttpClient's single timeout would cut long-polls.
            Timeout = Timeout.InfiniteTimeSpan,
        };

    private static DurableStreamClientOptions WithBase(DurableStreamClientOptions? options, Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var copy = options?.Copy() ?? new DurableStreamClientOptions();
        copy.BaseAddress ??= baseAddress;
        return copy;
    }
}
