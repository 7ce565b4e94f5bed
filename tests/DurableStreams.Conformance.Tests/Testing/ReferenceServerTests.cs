using System.Net;
using DurableStreams.Testing;

namespace DurableStreams.Conformance.TestingTests;

public sealed class ReferenceServerTests
{
    [Fact]
    public async Task Starts_on_loopback_serves_streams_and_stops_on_dispose()
    {
        var server = await ReferenceServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var pid = server.ProcessId;
        try
        {
            Assert.Matches(@"^http://127\.0\.0\.1:\d+$", server.BaseUrl);
            Assert.Equal(server.BaseUrl + "/", server.BaseAddress.ToString());

            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            using var create = await http.PutAsync("reference-server-test", content: null, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(pid));
    }

    [Fact]
    public async Task Names_the_missing_tool()
    {
        var options = new ReferenceServerOptions { NodeExecutable = "no-such-node-" + Guid.NewGuid().ToString("N") };

        var error = await Assert.ThrowsAsync<ReferenceServerException>(
            () => ReferenceServer.StartAsync(options, TestContext.Current.CancellationToken));

        Assert.Contains(options.NodeExecutable, error.Message, StringComparison.Ordinal);
        Assert.Contains("Node.js", error.Message, StringComparison.Ordinal);
    }
}
