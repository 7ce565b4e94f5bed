using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using DurableStreams.Consumers;
using DurableStreams.Extensions.Hosting.Tests.HealthChecks;
using DurableStreams.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Extensions.Hosting.Tests.Consumers;

/// <summary>An order event; the generator emits <c>HostedOrderStream</c>.</summary>
[DurableStream("hosted-consumers/{tenant}/orders")]
public sealed record HostedOrder(int Id, string Item);

[JsonSerializable(typeof(HostedOrder))]
internal sealed partial class HostedJson : JsonSerializerContext;

/// <summary>
/// <c>services.AddDurableStreamConsumer&lt;THandler, T&gt;(...)</c> in a real host against the reference server: handlers
/// come from DI in a scope per message, checkpoints survive a host restart, skipped messages reach a dead-letter handler
/// from DI.
/// </summary>
public sealed class HostedConsumerTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private IHost Build(string tenant, ICheckpointStore store, Received received, Action<IServiceCollection>? more = null,
        Action<StreamConsumerOptions>? configure = null, Uri? streamBase = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddDurableStreams(o => o.BaseAddress = streamBase ?? fixture.StreamBase);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(received);
        builder.Services.AddScoped<ScopeProbe>();
        builder.Services.AddDurableStreamConsumer<OrderHandler, HostedOrder>(
            "billing",
            sp => HostedOrderStream.For(sp.GetRequiredService<DurableStreamClient>(), tenant),
            o =>
            {
                o.CheckpointEveryMessages = 1;
                o.RetryDelay = TimeSpan.Zero;
                o.MaxRetryDelay = TimeSpan.Zero;
                configure?.Invoke(o);
            });
        more?.Invoke(builder.Services);
        return builder.Build();
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("embedded")]
    public async Task Runs_a_handler_from_DI_in_a_scope_per_message_and_resumes_after_a_host_restart(string server)
    {
        await using var embedded = server == "embedded" ? await DurableStreamsServer.StartAsync() : null;
        var streamBase = embedded?.BaseAddress ?? fixture.StreamBase;
        var tenant = ReferenceServerFixture.NewPath("t");
        using var client = new DurableStreamClient(streamBase);
        var orders = HostedOrderStream.For(client, tenant);
        await orders.CreateAsync();
        // Checkpoints in a stream on the same server: the consumer needs nothing else.
        var store = new StreamCheckpointStore(client, ReferenceServerFixture.NewPath("checkpoints"));

        var received = new Received();
        using (var host = Build(tenant, store, received, streamBase: streamBase))
        {
            await host.StartAsync();
            await orders.AppendManyAsync([new(1, "tea"), new(2, "cake"), new(3, "jam")]);
            await received.WaitForAsync(3).WaitAsync(Hang);
            await host.StopAsync().WaitAsync(Hang);
        }
        Assert.Equal([1, 2, 3], received.Ids);
        Assert.Equal(3, received.Scopes.Distinct().Count()); // a new scope (and handler) for every message
        Assert.Equal(HostedOrderStream.UrlFor(tenant), received.Messages[0].Stream);
        Assert.Equal(received.Messages[^1].Position, await store.LoadAsync("billing", received.Messages[0].Stream));

        var again = new Received();
        using (var host = Build(tenant, store, again, streamBase: streamBase))
        {
            await host.StartAsync();
            await orders.AppendAsync(new HostedOrder(4, "bread"));
            await again.WaitForAsync(1).WaitAsync(Hang);
            await host.StopAsync().WaitAsync(Hang);
        }
        Assert.Equal([4], again.Ids);
    }

    [Fact]
    public async Task A_skipped_message_goes_to_the_dead_letter_handler_registered_in_DI()
    {
        var tenant = ReferenceServerFixture.NewPath("t");
        using var client = new DurableStreamClient(fixture.StreamBase);
        var orders = HostedOrderStream.For(client, tenant);
        await orders.CreateAsync();
        var received = new Received();
        var deadLetters = new ConcurrentQueue<(int Id, string Error)>();

        using var host = Build(tenant, new InMemoryCheckpointStore(), received,
            services => services.AddSingleton<IDeadLetterHandler<HostedOrder>>(new DeadLetters(deadLetters)),
            o =>
            {
                o.FailurePolicy = HandlerFailurePolicy.Skip;
                o.MaxAttempts = 2;
            });
        await host.StartAsync();
        await orders.AppendManyAsync([new(1, "tea"), new(2, "poison"), new(3, "jam")]);
        await received.WaitForAsync(2).WaitAsync(Hang);
        await host.StopAsync().WaitAsync(Hang);

        Assert.Equal([1, 3], received.Ids);
        Assert.Equal((2, "poison"), Assert.Single(deadLetters));
    }

    internal sealed class ScopeProbe
    {
        public Guid Id { get; } = Guid.NewGuid();
    }

    internal sealed class OrderHandler(Received received, ScopeProbe scope) : IStreamHandler<HostedOrder>
    {
        public ValueTask HandleAsync(StreamMessage<HostedOrder> message, CancellationToken cancellationToken)
        {
            if (message.Data.Item == "poison") throw new InvalidOperationException("poison");
            received.Add(message, scope.Id);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class DeadLetters(ConcurrentQueue<(int, string)> into) : IDeadLetterHandler<HostedOrder>
    {
        public ValueTask HandleFailedAsync(StreamMessage<HostedOrder> message, Exception exception, CancellationToken cancellationToken)
        {
            into.Enqueue((message.Data.Id, exception.Message));
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class Received
    {
        private readonly List<(StreamMessage<HostedOrder> Message, Guid Scope)> _items = [];
        private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

        public List<StreamMessage<HostedOrder>> Messages { get { lock (_items) return [.. _items.Select(i => i.Message)]; } }

        public List<int> Ids => [.. Messages.Select(m => m.Data.Id)];

        public List<Guid> Scopes { get { lock (_items) return [.. _items.Select(i => i.Scope)]; } }

        public void Add(StreamMessage<HostedOrder> message, Guid scope)
        {
            lock (_items)
            {
                _items.Add((message, scope));
                foreach (var (count, done) in _waiters)
                    if (_items.Count >= count) done.TrySetResult();
            }
        }

        public Task WaitForAsync(int count)
        {
            lock (_items)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_items.Count >= count) done.SetResult();
                else _waiters.Add((count, done));
                return done.Task;
            }
        }
    }
}
