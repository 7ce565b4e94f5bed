using System.Net;
using System.Net.Sockets;
using DurableStreams.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DurableStreams.FaultTests.Infrastructure;

/// <summary>
/// DurableStreams.Server in this process on 127.0.0.1 (a free port on the first start, the same port after a
/// restart), with the memory or the file store. <see cref="RestartAsync"/> stops it (open requests are cut after a
/// short grace period, as in a real restart) and starts it again on the same data.
/// </summary>
public sealed class EmbeddedUpstream : IUpstream
{
    private readonly DurableStreamsStoreKind _store;
    private readonly string? _dataDirectory;
    private WebApplication? _app;
    private int _port;

    private EmbeddedUpstream(DurableStreamsStoreKind store)
    {
        _store = store;
        if (store == DurableStreamsStoreKind.File)
        {
            _dataDirectory = Path.Combine(Path.GetTempPath(), "ds-faults-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dataDirectory);
        }
    }

    public Uri ServerRoot => new($"http://127.0.0.1:{_port}/");

    public Uri StreamBase => new(ServerRoot, "v1/stream/");

    public string Name => $"embedded ({_store})";

    public int Restarts { get; private set; }

    public static async Task<EmbeddedUpstream> StartAsync(DurableStreamsStoreKind store)
    {
        var upstream = new EmbeddedUpstream(store);
        await upstream.StartCoreAsync();
        return upstream;
    }

    /// <summary>Stops the server, keeps it down for <paramref name="downtime"/>, and starts it on the same port and data.</summary>
    public async Task RestartAsync(TimeSpan downtime, CancellationToken cancellationToken = default)
    {
        await StopCoreAsync();
        await Task.Delay(downtime, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartCoreAsync();
                break;
            }
            catch (IOException) when (attempt < 20)
            {
                await Task.Delay(50, cancellationToken); // the port is not free yet
            }
        }

        Restarts++;
    }

    public async ValueTask DisposeAsync()
    {
        await StopCoreAsync();
        if (_dataDirectory is not null)
        {
            try { Directory.Delete(_dataDirectory, recursive: true); }
            catch (IOException) { /* best effort */ }
        }
    }

    private async Task StartCoreAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _port));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromMilliseconds(300));
        builder.Services.AddDurableStreamsServer(options =>
        {
            options.Store = _store;
            options.DataDirectory = _dataDirectory;
        });
        var app = builder.Build();
        app.UseCors();
        app.MapDurableStreams("/v1/stream");
        try
        {
            await app.StartAsync();
        }
        catch (Exception e) when (e is SocketException || e.InnerException is SocketException)
        {
            await app.DisposeAsync();
            throw new IOException("The port is in use.", e);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _port = new Uri(address).Port;
        _app = app;
    }

    private async Task StopCoreAsync()
    {
        if (_app is not { } app) return;
        _app = null;
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
