using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DurableStreams.Server.Tests;

/// <summary>The server's registration next to the client's, in one app.</summary>
public sealed class RegistrationTests
{
    [Fact]
    public async Task An_app_can_host_the_server_and_register_the_client_side_by_side()
    {
        // The hosting and server packages both put their AddXxx methods in Microsoft.Extensions.DependencyInjection; with one name
        // this file would not compile (CS0121).
        // The client's options are validated when the host starts, so the app's own address is known up front.
        var port = TestApp.FreePort();
        await using var app = await TestApp.StartAsync(
            builder =>
            {
                builder.Services.AddDurableStreamsServer();
                builder.Services.AddDurableStreams(client => client.BaseAddress = new Uri($"http://127.0.0.1:{port}/v1/stream/"));
            },
            web =>
            {
                web.UseCors();
                web.MapDurableStreams();
            },
            port);
        var ct = TestContext.Current.CancellationToken;

        var client = app.App.Services.GetRequiredService<DurableStreamClient>();
        var stream = await client.CreateStreamAsync("self", new CreateStreamOptions { ContentType = "text/plain" }, ct);
        await stream.AppendAsync("hosted and used", cancellationToken: ct);

        using var http = app.CreateHttpClient();
        var read = await http.GetAsync("v1/stream/self?offset=-1", ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("hosted and used", await read.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task Mapping_without_registering_says_what_is_missing()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapDurableStreams());

        Assert.Contains("AddDurableStreamsServer", error.Message);
    }
}
