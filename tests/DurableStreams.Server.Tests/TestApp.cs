using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableStreams.Server.Tests;

/// <summary>
/// An ASP.NET Core app the test wires itself (Kestrel on 127.0.0.1, a free port), for hosting shapes
/// <see cref="DurableStreamsServer.StartAsync"/> does not cover: authorization, app-chosen CORS, a client in the same app.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    private TestApp(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
    }

    public WebApplication App { get; }

    /// <summary>The server root, "http://127.0.0.1:port/".</summary>
    public Uri Address { get; }

    /// <param name="port">The port to listen on; 0 (the default) lets the system pick one.</param>
    public static async Task<TestApp> StartAsync(Action<WebApplicationBuilder> services, Action<WebApplication> pipeline, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        services(builder);
        var app = builder.Build();
        pipeline(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestApp(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>A port free right now, for an app that must know its own address before it starts.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The server behind bearer-token authentication: <c>UseCors</c>, then authentication and authorization,
    /// then <c>MapDurableStreams</c> with <c>RequireAuthorization()</c> on the builder it returns.
    /// </summary>
    public static Task<TestApp> StartWithAuthAsync(Action<DurableStreamsServerOptions>? configure = null, string prefix = "/") => StartAsync(
        builder =>
        {
            builder.Services.AddDurableStreamsServer(configure);
            builder.Services.AddAuthentication(TokenAuthentication.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, TokenAuthentication>(TokenAuthentication.SchemeName, null);
            builder.Services.AddAuthorization();
        },
        app =>
        {
            app.UseCors();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapDurableStreams(prefix).RequireAuthorization();
        });

    public HttpClient CreateHttpClient(bool authenticated = false)
    {
        var http = new HttpClient { BaseAddress = Address };
        if (authenticated) http.DefaultRequestHeaders.Authorization = new("Bearer", TokenAuthentication.Token);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>Accepts exactly one bearer token; anything else stays anonymous (and gets 401 where authorization is required).</summary>
internal sealed class TokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TestToken";
    public const string Token = "test-token-1";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers.Authorization.ToString() != "Bearer " + Token) return Task.FromResult(AuthenticateResult.NoResult());
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "tester")], SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
