using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DurableStreams.Extensions.Hosting.Tests;

public sealed class ConfigurationTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void A_section_configures_the_client_and_code_has_the_last_word()
    {
        var config = Config(
            ("DurableStreams:BaseAddress", "http://streams.test/v1/stream/"),
            ("DurableStreams:RequestTimeout", "00:00:07"),
            ("DurableStreams:BatchAppends", "false"),
            ("DurableStreams:Retry:MaxRetries", "2"),
            ("DurableStreams:Retry:InitialDelay", "00:00:00.250"),
            ("DurableStreams:Headers:X-Tenant", "acme"),
            ("DurableStreams:QueryParameters:region", "eu"),
            ("DurableStreams:LongPollTimeout", "00:00:40"));
        var services = new ServiceCollection();
        services.AddDurableStreams(config.GetSection("DurableStreams"), o => o.LongPollTimeout = TimeSpan.FromSeconds(50));
        using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<DurableStreamClient>();

        Assert.Equal(new Uri("http://streams.test/v1/stream/"), client.BaseAddress);
        Assert.Equal(TimeSpan.FromSeconds(7), client.Options.RequestTimeout);
        Assert.False(client.Options.BatchAppends);
        Assert.Equal(2, client.Options.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(250), client.Options.Retry.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(50), client.Options.LongPollTimeout);
        Assert.True(client.Options.Headers.ContainsKey("X-Tenant"));
        Assert.True(client.Options.QueryParameters.ContainsKey("region"));
        Assert.Equal(new Uri("http://streams.test/v1/stream/orders"), client.GetStream("orders").Url);
    }

    [Fact]
    public void MaxResponseBytes_is_configurable_and_validated()
    {
        var services = new ServiceCollection();
        services.AddDurableStreams(Config(("BaseAddress", "http://streams.test/"), ("MaxResponseBytes", "1048576")));
        using var provider = services.BuildServiceProvider();

        Assert.Equal(1024 * 1024, provider.GetRequiredService<DurableStreamClient>().Options.MaxResponseBytes);
        Assert.Equal(256L * 1024 * 1024, new DurableStreamClientOptions().MaxResponseBytes);
    }

    [Fact]
    public async Task A_non_positive_MaxResponseBytes_stops_the_host_from_starting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDurableStreams(Config(("BaseAddress", "http://streams.test/"), ("MaxResponseBytes", "0")));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MaxResponseBytes", error.Message);
    }

    [Fact]
    public void Keys_absent_from_the_section_keep_the_defaults()
    {
        var services = new ServiceCollection();
        services.AddDurableStreams(Config(("BaseAddress", "http://streams.test/")));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<DurableStreamClient>().Options;

        var defaults = new DurableStreamClientOptions();
        Assert.Equal(defaults.RequestTimeout, options.RequestTimeout);
        Assert.Equal(defaults.Retry.MaxRetries, options.Retry.MaxRetries);
        Assert.Equal(defaults.BatchAppends, options.BatchAppends);
    }

    [Fact]
    public async Task A_misspelt_key_stops_the_host_from_starting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDurableStreams(Config(("BaseAddress", "http://streams.test/"), ("RequestTimout", "00:00:05")));
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("RequestTimout", error.Message);
    }

    [Fact]
    public async Task Invalid_options_stop_the_host_from_starting_and_name_the_client()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDurableStreams("billing", o =>
        {
            o.BaseAddress = new Uri("http://streams.test/");
            o.RequestTimeout = TimeSpan.Zero;
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal("billing", error.OptionsName);
        Assert.Contains("'billing'", error.Message);
        Assert.Contains("RequestTimeout", error.Message);
    }

    [Fact]
    public void Named_clients_talk_to_their_own_servers()
    {
        var services = new ServiceCollection();
        services.AddDurableStreams(o => o.BaseAddress = new Uri("http://default.test/"));
        services.AddDurableStreams("billing", o => o.BaseAddress = new Uri("http://billing.test/streams/"));
        services.AddDurableStreams("audit", Config(("BaseAddress", "http://audit.test/")));
        using var provider = services.BuildServiceProvider();

        var byDefault = provider.GetRequiredService<DurableStreamClient>();
        var billing = provider.GetRequiredKeyedService<DurableStreamClient>("billing");
        var audit = provider.GetRequiredKeyedService<DurableStreamClient>("audit");

        Assert.Equal(new Uri("http://default.test/"), byDefault.BaseAddress);
        Assert.Equal(new Uri("http://billing.test/streams/"), billing.BaseAddress);
        Assert.Equal(new Uri("http://audit.test/"), audit.BaseAddress);
        Assert.Same(billing, provider.GetRequiredKeyedService<DurableStreamClient>("billing"));
    }
}
