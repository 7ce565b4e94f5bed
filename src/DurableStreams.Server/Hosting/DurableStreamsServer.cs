using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Server;

/// <summary>
/// An in-process server for tests and samples:
/// <c>await using var server = await DurableStreamsServer.StartAsync();</c> then use <see cref="BaseAddress"/>.
/// </summary>
public sealed class DurableStreamsServer : IAsyncDisposable
{
    /// <summary>The default prefix streams are served under.</summary>
    public const string StreamPrefix = "/v1/stream";

    private readonly WebApplication _app;

    private DurableStreamsServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The stream root, e.g. "http://127.0.0.1:port/v1/stream/": stream URLs are relative to it.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The server's root ("http://127.0.0.1:port/").</summary>
    public Uri ServerAddress => new(BaseAddress, "/");

    /// <summary>
    /// Starts Kestrel on 127.0.0.1 with a free port, serving streams under <paramref name="streamPrefix"/> with
    /// <c>UseCors()</c> in the pipeline (the default policy, or none when <see cref="DurableStreamsServerOptions.CorsPolicyName"/> is null).
    /// </summary>
    public static async Task<DurableStreamsServer> StartAsync(
        DurableStreamsServerOptions? options = null,
        string streamPrefix = StreamPrefix,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamPrefix);
        var prefix = streamPrefix.Trim('/');
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Services.AddDurableStreamsServer(target => Copy(options ?? new DurableStreamsServerOptions(), target));
        var app = builder.Build();
        app.UseCors();
        app.MapDurableStreams("/" + prefix);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DurableStreamsServer(app, new Uri(address.TrimEnd('/') + "/" + (prefix.Length == 0 ? "" : prefix + "/")));
    }

    /// <summary>Stops the server and releases the store.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void Copy(DurableStreamsServerOptions from, DurableStreamsServerOptions to)
    {
        to.Store = from.Store;
        to.DataDirectory = from.DataDirectory;
        to.LongPollTimeout = from.LongPollTimeout;
        to.SseConnectionLifetime = from.SseConnectionLifetime;
        to.CursorInterval = from.CursorInterval;
        to.CursorEpoch = from.CursorEpoch;
        to.CacheControl = from.CacheControl;
        to.MaxRequestBodyBytes = from.MaxRequestBodyBytes;
        to.MaxReadBytes = from.MaxReadBytes;
        to.CorsPolicyName = from.CorsPolicyName;
        to.ConfigureCorsPolicy = from.ConfigureCorsPolicy;
        to.EnableTestFaultInjection = from.EnableTestFaultInjection;
        to.Subscriptions = from.Subscriptions;
    }
}
