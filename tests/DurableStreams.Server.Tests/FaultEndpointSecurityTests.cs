using System.Net;
using System.Text;

namespace DurableStreams.Server.Tests;

/// <summary>The test-only fault endpoint sits behind the same conventions as the streams, and is absent unless enabled.</summary>
public sealed class FaultEndpointSecurityTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static StringContent Text(string text) => new(text, Encoding.UTF8, "text/plain");

    [Fact]
    public async Task Authorization_on_the_returned_builder_covers_the_fault_control_path()
    {
        await using var app = await TestApp.StartWithAuthAsync(o => o.EnableTestFaultInjection = true);
        using var anonymous = app.CreateHttpClient();
        using var authenticated = app.CreateHttpClient(authenticated: true);
        var ct = TestContext.Current.CancellationToken;
        var fault = """{"path":"/guarded","method":"GET","status":503,"count":1}""";

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("_test/inject-error", Json(fault), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync("_test/inject-error", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsync("guarded", Text(""), ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await authenticated.PutAsync("guarded", Text("x"), ct)).StatusCode);
        // The refused POST armed nothing: the stream reads normally.
        Assert.Equal(HttpStatusCode.OK, (await authenticated.GetAsync("guarded?offset=-1", ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await authenticated.PostAsync("_test/inject-error", Json(fault), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await authenticated.GetAsync("guarded?offset=-1", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await authenticated.GetAsync("guarded?offset=-1", ct)).StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/v1/stream")]
    public async Task Without_the_option_the_fault_control_path_is_404_and_arms_nothing(string prefix)
    {
        await using var app = await TestApp.StartWithAuthAsync(prefix: prefix);
        using var http = app.CreateHttpClient(authenticated: true);
        var ct = TestContext.Current.CancellationToken;
        var stream = prefix.TrimEnd('/') + "/unfaulted";

        var control = await http.PostAsync("_test/inject-error", Json($$"""{"path":"{{stream}}","method":"PUT","status":503}"""), ct);

        Assert.Equal(HttpStatusCode.NotFound, control.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await http.PutAsync(stream.TrimStart('/'), Text(""), ct)).StatusCode);
    }
}
