using Microsoft.Extensions.DependencyInjection;

namespace DurableStreams.Server.Webhooks;

/// <summary>Where a receiver gets its HTTP clients: the app's <c>IHttpClientFactory</c> when it has one.</summary>
internal static class WebhookServices
{
    // Without a factory: one pooled client for the process, with DNS changes picked up.
    private static readonly Lazy<HttpClient> Shared = new(() => new HttpClient(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    }));

    public static Func<HttpClient> HttpClientSource(DurableStreamsWebhookOptions options, IServiceProvider services)
    {
        var factory = services.GetService<IHttpClientFactory>();
        var name = options.HttpClientName;
        return factory is null ? () => Shared.Value : () => factory.CreateClient(name);
    }

    public static DurableStreamClient StreamClient(DurableStreamsWebhookOptions options, IServiceProvider services) =>
        options.StreamClient
        ?? services.GetService<DurableStreamClient>()
        ?? new DurableStreamClient(HttpClientSource(options, services));
}
