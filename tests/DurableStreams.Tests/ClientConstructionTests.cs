namespace DurableStreams.Tests;

public sealed class ClientConstructionTests
{
    [Fact]
    public void The_callers_options_are_neither_changed_nor_followed_later()
    {
        var options = new DurableStreamClientOptions { RequestTimeout = TimeSpan.FromSeconds(3) };
        options.Headers["X-Tenant"] = "acme";

        using var client = new DurableStreamClient(new Uri("http://streams.test/v1/stream/"), options);
        options.RequestTimeout = TimeSpan.FromSeconds(9);
        options.Headers["X-Tenant"] = "other";
        options.Retry.MaxRetries = 0;

        Assert.Null(options.BaseAddress);
        Assert.NotSame(options, client.Options);
        Assert.Equal(new Uri("http://streams.test/v1/stream/"), client.Options.BaseAddress);
        Assert.Equal(TimeSpan.FromSeconds(3), client.Options.RequestTimeout);
        Assert.Equal(7, client.Options.Retry.MaxRetries);
        Assert.True(client.Options.Headers.ContainsKey("X-Tenant"));
    }

    [Fact]
    public void A_client_source_is_asked_for_a_client_per_request_and_its_base_address_is_used()
    {
        var asked = 0;
        using var http = new HttpClient { BaseAddress = new Uri("http://from-http-client.test/s/") };
        using var client = new DurableStreamClient(() => { asked++; return http; });

        Assert.Equal(new Uri("http://from-http-client.test/s/x"), client.GetStream("x").Url);
        Assert.Equal(1, asked);
    }

    [Fact]
    public void A_relative_base_address_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new DurableStreamClient(new HttpClient(), new DurableStreamClientOptions { BaseAddress = new Uri("v1/stream/", UriKind.Relative) }));
        Assert.Contains("BaseAddress", error.Message);
    }
}
