using DurableStreams;
using DurableStreams.Extensions.Hosting.Configuration;
using DurableStreams.Extensions.Hosting.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// Extension methods live in the namespace of what they extend, so they show up without extra usings.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers <see cref="DurableStreamClient"/>s: options from code and <see cref="IConfiguration"/>, validated at
/// start-up, over <see cref="IHttpClientFactory"/> clients. The default client is a singleton
/// <see cref="DurableStreamClient"/>; a named one is a keyed singleton (<c>[FromKeyedServices("name")]</c>).
/// </summary>
public static class DurableStreamsServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the default client uses.</summary>
    public const string HttpClientName = "DurableStreams";

    /// <summary>Adds the default client, configured in code.</summary>
    /// <returns>The builder of the client's <see cref="HttpClient"/> (handlers, resilience, certificates).</returns>
    public static IHttpClientBuilder AddDurableStreams(this IServiceCollection services, Action<DurableStreamClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, name: null, configuration: null, configure);
    }

    /// <summary>
    /// Adds the default client, configured from <paramref name="configuration"/> (a section such as
    /// <c>builder.Configuration.GetSection("DurableStreams")</c>), then by <paramref name="configure"/>.
    /// </summary>
    /// <returns>The builder of the client's <see cref="HttpClient"/> (handlers, resilience, certificates).</returns>
    public static IHttpClientBuilder AddDurableStreams(this IServiceCollection services, IConfiguration configuration, Action<DurableStreamClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, name: null, configuration, configure);
    }

    /// <summary>Adds a named client (a keyed singleton under <paramref name="name"/>), configured in code.</summary>
    /// <returns>The builder of the client's <see cref="HttpClient"/>, named <see cref="HttpClientNameFor"/>.</returns>
    public static IHttpClientBuilder AddDurableStreams(this IServiceCollection services, string name, Action<DurableStreamClientOptions> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, name, configuration: null, configure);
    }

    /// <summary>
    /// Adds a named client (a keyed singleton under <paramref name="name"/>), configured from
    /// <paramref name="configuration"/>, then by <paramref name="configure"/>.
    /// </summary>
    /// <returns>The builder of the client's <see cref="HttpClient"/>, named <see cref="HttpClientNameFor"/>.</returns>
    public static IHttpClientBuilder AddDurableStreams(this IServiceCollection services, string name, IConfiguration configuration, Action<DurableStreamClientOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, name, configuration, configure);
    }

    /// <summary>The name of the <see cref="HttpClient"/> behind the client registered as <paramref name="name"/> (null: the default one).</summary>
    public static string HttpClientNameFor(string? name) => string.IsNullOrEmpty(name) ? HttpClientName : HttpClientName + ":" + name;

    private static IHttpClientBuilder Add(IServiceCollection services, string? name, IConfiguration? configuration, Action<DurableStreamClientOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsName = name ?? Options.Options.DefaultName;
        var httpClientName = HttpClientNameFor(name);

        // Order: services the app registered, then configuration, then code; the last word is the app's code.
        var options = services.AddOptions<DurableStreamClientOptions>(optionsName)
            .Configure<IServiceProvider>((o, provider) =>
            {
                o.LoggerFactory ??= provider.GetService<ILoggerFactory>();
                if (provider.GetService<TimeProvider>() is { } clock) o.TimeProvider = clock;
            });
        if (configuration is not null) options.Configure(o => ClientSettings.Apply(configuration, o));
        if (configure is not null) options.Configure(configure);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DurableStreamClientOptions>, ClientOptionsValidator>());

        // The HttpClient's own timeout would cut long-polls: the client keeps per-attempt timeouts of its own.
        var builder = services.AddHttpClient(httpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        StandardResilienceAdjustments.Register(services, httpClientName);

        if (name is null) services.AddSingleton(provider => Create(provider, httpClientName, optionsName));
        else services.AddKeyedSingleton(name, (provider, _) => Create(provider, httpClientName, optionsName));
        return builder;
    }

    private static DurableStreamClient Create(IServiceProvider provider, string httpClientName, string optionsName)
    {
        var factory = provider.GetRequiredService<IHttpClientFactory>();
        var options = provider.GetRequiredService<IOptionsMonitor<DurableStreamClientOptions>>().Get(optionsName);
        // A client from the factory per request, as the factory intends, so its handler rotation applies.
        return new DurableStreamClient(() => factory.CreateClient(httpClientName), options);
    }
}
