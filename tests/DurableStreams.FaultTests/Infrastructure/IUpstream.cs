namespace DurableStreams.FaultTests.Infrastructure;

/// <summary>A real Durable Streams server the proxy forwards to and the audit reads from directly.</summary>
public interface IUpstream : IAsyncDisposable
{
    /// <summary>The server's root ("http://127.0.0.1:port/").</summary>
    Uri ServerRoot { get; }

    /// <summary>Where streams live ("…/v1/stream/").</summary>
    Uri StreamBase { get; }

    string Name { get; }
}

public enum UpstreamKind { EmbeddedMemory, EmbeddedFile, Reference }

public static class Upstreams
{
    public static async Task<IUpstream> StartAsync(UpstreamKind kind) => kind switch
    {
        UpstreamKind.EmbeddedMemory => await EmbeddedUpstream.StartAsync(DurableStreams.Server.DurableStreamsStoreKind.Memory),
        UpstreamKind.EmbeddedFile => await EmbeddedUpstream.StartAsync(DurableStreams.Server.DurableStreamsStoreKind.File),
        UpstreamKind.Reference => await ReferenceUpstream.StartAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
