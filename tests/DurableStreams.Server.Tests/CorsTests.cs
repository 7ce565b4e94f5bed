using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DurableStreams.Server.Tests;

/// <summary>CORS comes from ASP.NET Core's middleware and the policy MapDurableStreams requires.</summary>
public sealed class CorsTests
{
    private const string Origin = "https://app.example";

    private static HttpRequestMessage Preflight(string path, string origin = Origin, string method = "POST", string? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        if (headers is not null) request.Headers.Add("Access-Control-Request-Headers", headers);
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    [Fact]
    public async Task A_preflight_is_answered_before_authorization()
    {
        await using var app = await TestApp.StartWithAuthAsync();
        using var anonymous = app.CreateHttpClient();
        using var preflight = Preflight("s", headers: "authorization, content-type, producer-id, producer-epoch, producer-seq, stream-seq");

        var response = await anonymous.SendAsync(preflight, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"));
        var allowed = Header(response, "Access-Control-Allow-Headers")!.ToLowerInvariant();
        foreach (var name in new[] { "authorization", "content-type", "producer-id", "producer-epoch", "producer-seq", "stream-seq" })
            Assert.Contains(name, allowed);
    }

    [Fact]
    public async Task Cross_origin_responses_carry_cors_headers_even_when_refused()
    {
        await using var app = await TestApp.StartWithAuthAsync();
        using var anonymous = app.CreateHttpClient();
        using var authenticated = app.CreateHttpClient(authenticated: true);
        anonymous.DefaultRequestHeaders.Add("Origin", Origin);
        authenticated.DefaultRequestHeaders.Add("Origin", Origin);
        var ct = TestContext.Current.CancellationToken;

        var refused = await anonymous.GetAsync("s?offset=-1", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("*", Header(refused, "Access-Control-Allow-Origin"));

        var created = await authenticated.PutAsync("s", new StringContent("x", Encoding.UTF8, "text/plain"), ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("*", Header(created, "Access-Control-Allow-Origin"));
        Assert.Contains("Stream-Next-Offset", Header(created, "Access-Control-Expose-Headers"));
        Assert.Equal("nosniff", Header(created, "X-Content-Type-Options"));
        Assert.Equal("cross-origin", Header(created, "Cross-Origin-Resource-Policy"));
    }

    [Fact]
    public async Task A_configured_default_policy_admits_only_its_origins()
    {
        var options = new DurableStreamsServerOptions { ConfigureCorsPolicy = policy => policy.WithOrigins(Origin) };
        await using var server = await DurableStreamsServer.StartAsync(options);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var ct = TestContext.Current.CancellationToken;

        using var allowed = Preflight("s", headers: "stream-seq");
        using var other = Preflight("s", origin: "https://elsewhere.example");
        var allowedResponse = await http.SendAsync(allowed, ct);
        var otherResponse = await http.SendAsync(other, ct);

        Assert.Equal(Origin, Header(allowedResponse, "Access-Control-Allow-Origin"));
        Assert.Contains("stream-seq", Header(allowedResponse, "Access-Control-Allow-Headers")!.ToLowerInvariant());
        Assert.Null(Header(otherResponse, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task An_app_policy_named_in_the_options_replaces_the_default()
    {
        await using var app = await TestApp.StartAsync(
            builder =>
            {
                builder.Services.AddDurableStreamsServer(o => o.CorsPolicyName = "app");
                builder.Services.AddCors(cors => cors.AddPolicy("app", policy => policy.WithOrigins(Origin).WithDurableStreamsProtocol()));
            },
            web =>
            {
                web.UseCors();
                web.MapDurableStreams();
            });
        using var http = app.CreateHttpClient();
        var ct = TestContext.Current.CancellationToken;

        using var allowed = Preflight("v1/stream/s");
        using var other = Preflight("v1/stream/s", origin: "https://elsewhere.example");

        Assert.Equal(Origin, Header(await http.SendAsync(allowed, ct), "Access-Control-Allow-Origin"));
        Assert.Null(Header(await http.SendAsync(other, ct), "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Without_a_policy_name_the_server_adds_no_cors_and_needs_no_cors_middleware()
    {
        await using var app = await TestApp.StartAsync(
            builder => builder.Services.AddDurableStreamsServer(o => o.CorsPolicyName = null),
            web => web.MapDurableStreams());
        using var http = app.CreateHttpClient();
        http.DefaultRequestHeaders.Add("Origin", Origin);

        var response = await http.PutAsync("v1/stream/s", new StringContent("", Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
    }
}
