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
    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;

    /// <summary>A client with its own connection pool, for <paramref name="baseAddress"/>.</summary>
    public DurableStreamClient(Uri baseAddress, DurableStreamClientOptions? options = null)
        : this(CreateHttpClient(), ownsHttpClient: true, WithBase(options, baseAddress))
    {
    }

    /// <summary>A client over an existing <see cref="HttpClient"/> (not disposed with the client).</summary>
    public DurableStreamClient(HttpClient httpClient, DurableStreamClientOptions? options = null)
        : this(httpClient ?? throw new ArgumentNullException(nameof(httpClient)), ownsHttpClient: false, options ?? new DurableStreamClientOptions())
    {
    }

    /// <summary>A client over a named <see cref="HttpClient"/> from <paramref name="factory"/>.</summary>
    public DurableStreamClient(IHttpClientFactory factory, string httpClientName, DurableStreamClientOptions? options = null)
        : this((factory ?? throw new ArgumentNullException(nameof(factory))).CreateClient(httpClientName), ownsHttpClient: false, options ?? new DurableStreamClientOptions())
    {
    }

    private DurableStreamClient(HttpClient httpClient, bool ownsHttpClient, DurableStreamClientOptions options)
    {
        options.Validate();
        _httpClient = httpClient;
        _ownsHttpClient = ownsHttpClient;
        Options = options;
        BaseAddress = BaseAddressNormalizer.Normalize(options.BaseAddress ?? httpClient.BaseAddress);
        var logger = options.LoggerFactory?.CreateLogger<DurableStreamClient>() ?? (ILogger)NullLogger.Instance;
        Http = new ProtocolHttpClient(httpClient, options, logger);
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
            throw new InvalidOperationException($"'{pathOrUrl}' is relative and the client has no BaseAddress.");
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
        if (_ownsHttpClient) _httpClient.Dispose();
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
        options ??= new DurableStreamClientOptions();
        options.BaseAddress ??= baseAddress;
        return options;
    }
}
