using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DurableStreams.FaultTests.Infrastructure;

/// <summary>
/// A small forwarding proxy on Kestrel (127.0.0.1, a free port) that passes every request to an upstream server and
/// injects faults drawn from a seeded <see cref="Random"/>: a 503 before forwarding, a dropped connection after the
/// upstream answered (the request was stored, the answer is lost), a response body cut part way, or a delay.
/// Streaming answers (SSE, long-poll) are relayed as they arrive.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host",
    };

    private readonly WebApplication _app;
    private readonly Func<Uri> _upstream;
    private readonly HttpClient _http;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly long[] _counts = new long[Enum.GetValues<FaultKind>().Length];
    private long _requests;

    private FaultProxy(WebApplication app, Func<Uri> upstream, Random random, Uri address)
    {
        _app = app;
        _upstream = upstream;
        _random = random;
        Address = address;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(5),
            MaxResponseHeadersLength = 1024,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The proxy's root, "http://127.0.0.1:port/"; it forwards the path and query unchanged.</summary>
    public Uri Address { get; }

    /// <summary>The proxy's equivalent of the upstream stream root.</summary>
    public Uri StreamBase => new(Address, "v1/stream/");

    /// <summary>The current fault mix; set <see cref="FaultMix.None"/> to pass everything through.</summary>
    public FaultMix Mix { get; set; } = FaultMix.Default;

    public long Requests => Interlocked.Read(ref _requests);

    public long Count(FaultKind kind) => Interlocked.Read(ref _counts[(int)kind]);

    /// <param name="upstream">The upstream's root ("http://host:port/"), read per request so a restarted server can move.</param>
    public static async Task<FaultProxy> StartAsync(Func<Uri> upstream, int seed, FaultMix? mix = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FaultProxy? proxy = null;
        app.Run(context => proxy!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy = new FaultProxy(app, upstream, new Random(seed), new Uri(address.TrimEnd('/') + "/"));
        if (mix is not null) proxy.Mix = mix;
        FaultSettings.Log($"[faults] proxy {proxy.Address} seed {seed}: {proxy.Mix}");
        return proxy;
    }

    public override string ToString() =>
        $"{Requests} requests: {Count(FaultKind.Unavailable)} x 503, {Count(FaultKind.DropAfterForward)} dropped after forward, " +
        $"{Count(FaultKind.CutBody)} cut, {Count(FaultKind.Delay)} delayed";

    public async ValueTask DisposeAsync()
    {
        FaultSettings.Log($"[faults] proxy {Address}: {this}");
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
    }

    private (FaultKind Kind, double Fraction, TimeSpan Delay) Roll()
    {
        var mix = Mix;
        lock (_gate)
        {
            var roll = _random.NextDouble();
            var fraction = _random.NextDouble();
            var kind = FaultKind.None;
            if ((roll -= mix.Unavailable) < 0) kind = FaultKind.Unavailable;
            else if ((roll -= mix.DropAfterForward) < 0) kind = FaultKind.DropAfterForward;
            else if ((roll -= mix.CutBody) < 0) kind = FaultKind.CutBody;
            else if ((roll -= mix.Delay) < 0) kind = FaultKind.Delay;
            return (kind, fraction, mix.MaxDelay * fraction);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var (kind, fraction, delay) = Roll();
        Interlocked.Increment(ref _counts[(int)kind]);
        var aborted = context.RequestAborted;
        try
        {
            if (kind == FaultKind.Unavailable)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync("fault proxy: injected 503", aborted);
                return;
            }

            if (kind == FaultKind.Delay) await Task.Delay(delay, aborted);
            using var request = await BuildRequestAsync(context, aborted);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, aborted);
            }
            catch (HttpRequestException)
            {
                context.Abort(); // upstream down: the client sees its connection fail, as it would without a proxy
                return;
            }

            using (response)
            {
                if (kind == FaultKind.DropAfterForward)
                {
                    await DrainAsync(response);
                    context.Abort();
                    return;
                }

                await RelayAsync(context, response, kind == FaultKind.CutBody ? fraction : null, aborted);
            }
        }
        catch (Exception) when (aborted.IsCancellationRequested)
        {
            // The client went away (cancelled read, closed connection): nothing to answer.
        }
        catch (Exception) when (!context.Response.HasStarted)
        {
            context.Abort();
        }
        catch (IOException)
        {
            context.Abort(); // the upstream connection broke mid-body (restart): pass the break on
        }
        catch (HttpRequestException)
        {
            context.Abort();
        }
    }

    private async Task<HttpRequestMessage> BuildRequestAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var incoming = context.Request;
        var target = new Uri(_upstream(), incoming.Path.Value!.TrimStart('/') + incoming.QueryString.Value);
        var request = new HttpRequestMessage(new HttpMethod(incoming.Method), target);
        if (incoming.ContentLength > 0 || incoming.Headers.TransferEncoding.Count > 0)
        {
            using var buffer = new MemoryStream();
            await incoming.Body.CopyToAsync(buffer, cancellationToken);
            request.Content = new ByteArrayContent(buffer.ToArray());
        }
        else if (incoming.ContentLength == 0)
        {
            request.Content = new ByteArrayContent([]);
        }

        foreach (var header in incoming.Headers)
        {
            if (HopByHop.Contains(header.Key) || header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            if (!request.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value))
                request.Content?.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value);
        }

        return request;
    }

    private static async Task DrainAsync(HttpResponseMessage response)
    {
        // The upstream has answered (status and headers); let it finish its body, bounded for live responses.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await response.Content.CopyToAsync(Stream.Null, limit.Token);
        }
        catch (Exception)
        {
            // a live response still open after the bound, or one that broke: dropping it is the point
        }
    }

    private static async Task RelayAsync(HttpContext context, HttpResponseMessage response, double? cutAt, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (HopByHop.Contains(header.Key)) continue;
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }

        var length = response.Content.Headers.ContentLength;
        var remaining = cutAt is { } at ? (long)((length ?? 4096) * at) : long.MaxValue;
        await context.Response.StartAsync(cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[16 * 1024];
        while (remaining > 0)
        {
            var read = await body.ReadAsync(buffer, cancellationToken);
            if (read == 0) break;
            var take = (int)Math.Min(read, remaining);
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, take), cancellationToken);
            await context.Response.Body.FlushAsync(cancellationToken);
            remaining -= take;
        }

        if (cutAt is not null)
        {
            await context.Response.Body.FlushAsync(cancellationToken);
            context.Abort(); // the body ends early: the connection closes mid-response
        }
    }
}
