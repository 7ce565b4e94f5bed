using DurableStreams.Testing;

namespace DurableStreams.FaultTests.Infrastructure;

/// <summary>The npm reference server (tests/reference-server), started by the shared <see cref="ReferenceServer"/> launcher.</summary>
public sealed class ReferenceUpstream : IUpstream
{
    private readonly ReferenceServer _server;

    private ReferenceUpstream(ReferenceServer server) => _server = server;

    public Uri ServerRoot => _server.BaseAddress;

    public Uri StreamBase => new(ServerRoot, "v1/stream/");

    public string Name => "reference (npm @durable-streams/server)";

    public static async Task<ReferenceUpstream> StartAsync() =>
        new(await ReferenceServer.StartAsync(new ReferenceServerOptions()));

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
