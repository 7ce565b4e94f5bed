using DurableStreams.Server;
using DurableStreams.Tests.Integration;

namespace DurableStreams.Tests.Subscriptions;

/// <summary>A server the subscription tests run against: the reference server or the embedded one.</summary>
public interface ISubscriptionServer
{
    /// <summary>The stream root.</summary>
    Uri StreamBase { get; }

    /// <summary>A client of the server with the stream root as its base address; callers dispose it.</summary>
    DurableStreamClient CreateClient(Action<DurableStreamClientOptions>? configure = null);
}

/// <summary>The embedded <c>DurableStreams.Server</c> (memory store) on a free port, one per test class.</summary>
public sealed class EmbeddedServerFixture : ISubscriptionServer, IAsyncLifetime
{
    private DurableStreamsServer? _server;

    public Uri StreamBase => _server?.BaseAddress ?? throw new InvalidOperationException("The server has not started.");

    public async ValueTask InitializeAsync() =>
        _server = await DurableStreamsServer.StartAsync(new DurableStreamsServerOptions { LongPollTimeout = TimeSpan.FromMilliseconds(500) });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    public DurableStreamClient CreateClient(Action<DurableStreamClientOptions>? configure = null)
    {
        var options = new DurableStreamClientOptions();
        options.Retry.InitialDelay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
        configure?.Invoke(options);
        return new DurableStreamClient(StreamBase, options);
    }
}

// Every subscription test class runs against both servers.
public sealed class SubscriptionAdminTestsOnReferenceServer(ReferenceServerFixture server)
    : SubscriptionAdminTests(server), IClassFixture<ReferenceServerFixture>;

public sealed class SubscriptionAdminTestsOnEmbeddedServer(EmbeddedServerFixture server)
    : SubscriptionAdminTests(server), IClassFixture<EmbeddedServerFixture>;

public sealed class SubscriptionDeliveryTestsOnReferenceServer(ReferenceServerFixture server)
    : SubscriptionDeliveryTests(server), IClassFixture<ReferenceServerFixture>;

public sealed class SubscriptionDeliveryTestsOnEmbeddedServer(EmbeddedServerFixture server)
    : SubscriptionDeliveryTests(server), IClassFixture<EmbeddedServerFixture>;

public sealed class PullWakeWorkerTestsOnReferenceServer(ReferenceServerFixture server)
    : PullWakeWorkerTests(server), IClassFixture<ReferenceServerFixture>;

public sealed class PullWakeWorkerTestsOnEmbeddedServer(EmbeddedServerFixture server)
    : PullWakeWorkerTests(server), IClassFixture<EmbeddedServerFixture>;

public sealed class PullWakeWorkerFailureTestsOnReferenceServer(ReferenceServerFixture server)
    : PullWakeWorkerFailureTests(server), IClassFixture<ReferenceServerFixture>;

public sealed class PullWakeWorkerFailureTestsOnEmbeddedServer(EmbeddedServerFixture server)
    : PullWakeWorkerFailureTests(server), IClassFixture<EmbeddedServerFixture>;
