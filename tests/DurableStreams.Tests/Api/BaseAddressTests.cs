namespace DurableStreams.Tests.Api;

/// <summary>
/// A base address is a directory: without a trailing slash its last segment used to be replaced
/// (<c>/v1/stream</c> + <c>orders</c> = <c>/v1/orders</c>). A query or fragment, which relative
/// resolution would drop, is refused.
/// </summary>
public sealed class BaseAddressTests
{
    [Theory]
    [InlineData("http://host/v1/stream", "orders", "http://host/v1/stream/orders")]
    [InlineData("http://host/v1/stream/", "orders", "http://host/v1/stream/orders")]
    [InlineData("http://host/v1/stream", "eu/orders", "http://host/v1/stream/eu/orders")]
    [InlineData("http://host:8080", "orders", "http://host:8080/orders")]
    [InlineData("https://host/a%20b", "orders", "https://host/a%20b/orders")]
    [InlineData("http://host/v1/stream", "/other/orders", "http://host/other/orders")]
    [InlineData("http://host/v1/stream", "http://elsewhere/x", "http://elsewhere/x")]
    public void Relative_paths_resolve_under_the_base_path(string baseAddress, string path, string expected)
    {
        using var fromUri = new DurableStreamClient(new Uri(baseAddress));
        using var http = new HttpClient { BaseAddress = new Uri(baseAddress) };
        using var fromHttpClient = new DurableStreamClient(http);
        using var bare = new HttpClient();
        using var fromOptions = new DurableStreamClient(bare, new DurableStreamClientOptions { BaseAddress = new Uri(baseAddress) });

        foreach (var client in new[] { fromUri, fromHttpClient, fromOptions })
        {
            Assert.Equal(new Uri(expected), client.GetStream(path).Url);
            Assert.EndsWith("/", client.BaseAddress!.AbsolutePath);
        }
    }

    [Fact]
    public void An_address_that_already_ends_in_a_slash_is_kept_as_is()
    {
        var address = new Uri("http://host/v1/stream/");
        using var client = new DurableStreamClient(address);

        Assert.Same(address, client.BaseAddress);
    }

    [Theory]
    [InlineData("http://host/v1/stream?token=abc")]
    [InlineData("http://host/v1/stream/?token=abc")]
    [InlineData("http://host/v1/stream#part")]
    public void An_address_with_a_query_or_fragment_is_refused(string baseAddress)
    {
        var fromUri = Assert.Throws<ArgumentException>(() => new DurableStreamClient(new Uri(baseAddress)));
        using var http = new HttpClient { BaseAddress = new Uri(baseAddress) };
        var fromHttpClient = Assert.Throws<ArgumentException>(() => new DurableStreamClient(http));

        foreach (var error in new[] { fromUri, fromHttpClient })
        {
            Assert.Contains("query string or fragment", error.Message);
            // The address is named without its query or fragment: a query may carry a credential.
            Assert.Contains("http://host/v1/stream", error.Message);
            Assert.DoesNotContain("abc", error.Message);
            Assert.DoesNotContain("part", error.Message);
        }
    }

    [Fact]
    public void A_relative_base_address_is_refused()
    {
        var options = new DurableStreamClientOptions { BaseAddress = new Uri("v1/stream", UriKind.Relative) };
        using var http = new HttpClient();

        Assert.Throws<ArgumentException>(() => new DurableStreamClient(http, options));
    }

    [Fact]
    public void A_client_without_a_base_address_still_takes_absolute_urls()
    {
        using var http = new HttpClient();
        using var client = new DurableStreamClient(http);

        Assert.Null(client.BaseAddress);
        Assert.Equal(new Uri("http://host/s"), client.GetStream("http://host/s").Url);
    }
}
