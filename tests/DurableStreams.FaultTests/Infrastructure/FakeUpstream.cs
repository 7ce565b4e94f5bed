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
/// A misbehaving server on Kestrel (127.0.0.1, a free port) for the faults a real server cannot produce: every
/// request goes to <see cref="Handler"/>, which the test scripts. <see cref="Requests"/> counts what arrived.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private FakeUpstream(WebApplication app, Uri root)
    {
        _app = app;
        ServerRoot = root;
    }

    public Uri ServerRoot { get; }

    public Uri StreamBase => new(ServerRoot, "v1/stream/");

    public RequestDelegate Handler { get; set; } = context =>
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    };

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Cancelled when the fake stops, so endless or stalled bodies end with it.</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxResponseBufferSize = 64 * 1024;
        });
        var app = builder.Build();
        FakeUpstream? fake = null;
        app.Run(async context =>
        {
            Interlocked.Increment(ref fake!._requests);
            try
            {
                await fake.Handler(context);
            }
            catch (Exception) when (context.RequestAborted.IsCancellationRequested || fake.Stopping.IsCancellationRequested)
            {
                // the client gave up or the fake is stopping
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake = new FakeUpstream(app, new Uri(address.TrimEnd('/') + "/"));
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(quick.Token);
        await _app.DisposeAsync();
    }
}
