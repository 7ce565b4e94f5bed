using DurableStreams.Testing;

namespace DurableStreams.Extensions.Hosting.Tests.HealthChecks;

/// <summary>One reference server for the health check tests; each test uses streams of its own.</summary>
public sealed class ReferenceServerFixture : IAsyncLifetime
{
    private ReferenceServer? _server;

    /// <summary>Where the streams live.</summary>
    public Uri StreamBase => new(_server?.BaseAddress ?? throw new InvalidOperationException("The server has not started."), "v1/stream/");

    public async ValueTask InitializeAsync() => _server = await ReferenceServer.StartAsync(new ReferenceServerOptions());

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    public static string NewPath(string name) => $"{name}-{Guid.NewGuid():N}";
}
