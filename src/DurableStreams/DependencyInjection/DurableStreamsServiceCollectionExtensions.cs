using DurableStreams;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="DurableStreamClient"/> with <see cref="IHttpClientFactory"/>.</summary>
public static class DurableStreamsServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the client uses.</summary>
    public const string HttpClientName = "DurableStreams";

    /// <summary>
    /// Adds a singleton <see cref="DurableStreamClient"/> over a named, factory-managed <see cref="HttpClient"/>;
    /// the returned builder configures that HttpClient (handlers, resilience, certificates).
    /// </summary>
    public static IHttpClientBuilder AddDurableStreams(this IServiceCollection services, Action<DurableStreamClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton(provider =>
        {
            var options = new DurableStreamClientOptions { LoggerFactory = provider.GetService<ILoggerFactory>() };
            configure(options);
            return new DurableStreamClient(provider.GetRequiredService<IHttpClientFactory>(), HttpClientName, options);
        });
        return builder;
    }
}
