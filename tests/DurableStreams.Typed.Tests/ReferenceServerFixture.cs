using DurableStreams.Testing;

namespace DurableStreams.Typed.Tests;

/// <summary>One reference server per test class; tests keep apart by using a fresh stream path each.</summary>
public sealed class ReferenceServerFixture : IAsyncLifetime
{
    private ReferenceServer? _server;

    public async ValueTask InitializeAsync() => _server = await ReferenceServer.StartAsync(new ReferenceServerOptions());

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>A client whose base address is the server's stream root; callers dispose it.</summary>
    public DurableStreamClient CreateClient()
    {
        var server = _server ?? throw new InvalidOperationException("The server has not started.");
        return new DurableStreamClient(new Uri(server.BaseAddress, "v1/stream/"));
    }

    /// <summary>A template value no other test uses.</summary>
    public static string Unique() => Guid.NewGuid().ToString("N");
}
