namespace DurableStreams.Typed.Tests;

/// <summary>Create, ensure, connect, head and delete through the generated factories.</summary>
public sealed class LifecycleTests(ReferenceServerFixture server) : IClassFixture<ReferenceServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connecting_to_a_missing_stream_fails_and_succeeds_once_it_exists()
    {
        using var client = server.CreateClient();
        var sensor = ReferenceServerFixture.Unique();
        await Assert.ThrowsAsync<StreamNotFoundException>(() => TemperatureStream.ConnectAsync(client, sensor, Ct));

        await TemperatureStream.For(client, sensor).CreateAsync(cancellationToken: Ct);
        var connected = await TemperatureStream.ConnectAsync(client, sensor, Ct);
        Assert.Equal(TemperatureStream.For(client, sensor).Url, connected.Url);
    }

    [Fact]
    public async Task Ensure_creates_once_and_then_leaves_the_stream_alone()
    {
        using var client = server.CreateClient();
        var temperatures = TemperatureStream.For(client, ReferenceServerFixture.Unique());
        Assert.True(await temperatures.EnsureCreatedAsync(ttl: TimeSpan.FromMinutes(10), cancellationToken: Ct));
        Assert.False(await temperatures.EnsureCreatedAsync(ttl: TimeSpan.FromMinutes(20), cancellationToken: Ct));

        var metadata = await temperatures.HeadAsync(Ct);
        Assert.Equal(TimeSpan.FromMinutes(10), metadata.Ttl);
        Assert.StartsWith("application/json", metadata.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_removes_the_stream()
    {
        using var client = server.CreateClient();
        var temperatures = TemperatureStream.For(client, ReferenceServerFixture.Unique());
        await temperatures.CreateAsync(expiresAt: DateTimeOffset.UtcNow.AddHours(1), cancellationToken: Ct);
        await temperatures.DeleteAsync(Ct);
        await Assert.ThrowsAsync<StreamNotFoundException>(() => temperatures.HeadAsync(Ct));
    }

    [Fact]
    public async Task Template_values_are_escaped_into_a_single_path_segment()
    {
        using var client = server.CreateClient();
        var tenant = "north/east " + ReferenceServerFixture.Unique();
        Assert.Equal("typed/orders/north%2Feast%20" + tenant[11..] + "/r", OrderPlacedStream.UrlFor(tenant, "r"));

        var orders = OrderPlacedStream.For(client, tenant, "r");
        await orders.CreateAsync(cancellationToken: Ct);
        var order = new OrderPlaced("o-1", 1m, DateTimeOffset.UnixEpoch);
        await orders.AppendAsync(order, cancellationToken: Ct);
        Assert.Equal([order], await OrderPlacedStream.For(client, tenant, "r").ReadAllAsync(cancellationToken: Ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    public void Template_values_that_would_change_the_path_are_rejected(string tenant)
    {
        using var client = server.CreateClient();
        var error = Assert.Throws<ArgumentException>(() => OrderPlacedStream.For(client, tenant, "r"));
        Assert.Equal("tenant", error.ParamName);
    }

    [Fact]
    public async Task Creating_with_options_keeps_the_stream_json()
    {
        using var client = server.CreateClient();
        var temperatures = TemperatureStream.For(client, ReferenceServerFixture.Unique());

        await Assert.ThrowsAsync<ArgumentException>(() =>
            temperatures.CreateAsync(new CreateStreamOptions { ContentType = "text/plain" }, Ct));
        await temperatures.CreateAsync(new CreateStreamOptions { Ttl = TimeSpan.FromMinutes(5) }, Ct);
        Assert.StartsWith("application/json", (await temperatures.HeadAsync(Ct)).ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public void The_declared_template_is_exposed() =>
        Assert.Equal("typed/orders/{tenant}/{run}", OrderPlacedStream.UrlTemplate);
}
