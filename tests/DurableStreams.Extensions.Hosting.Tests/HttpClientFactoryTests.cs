using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace DurableStreams.Extensions.Hosting.Tests;

public sealed class HttpClientFactoryTests
{
    /// <summary>Answers every request itself, and remembers which instance answered.</summary>
    private sealed class AnsweringHandler : HttpMessageHandler
    {
        public int Requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
            response.Headers.TryAddWithoutValidation("Stream-Next-Offset", "0000_0010");
            response.Content = new ByteArrayContent([]);
            response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/octet-stream");
            return Task.FromResult(response);
        }
    }

    [Fact]
    public async Task Requests_after_the_handler_lifetime_go_through_a_new_handler()
    {
        var created = new List<AnsweringHandler>();
        var services = new ServiceCollection();
        services.AddDurableStreams(o => o.BaseAddress = new Uri("http://streams.test/"))
            .ConfigurePrimaryHttpMessageHandler(() =>
            {
                var handler = new AnsweringHandler();
                lock (created) created.Add(handler);
                return handler;
            })
            .SetHandlerLifetime(TimeSpan.FromSeconds(1));
        using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<DurableStreamClient>();

        await client.GetStream("rotating").HeadAsync();
        // Past the lifetime with room to spare: the factory retires a handler from a timer, which a loaded machine runs late.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await client.GetStream("rotating").HeadAsync();

        lock (created)
        {
            Assert.Equal(2, created.Count);
            Assert.Equal(1, created[0].Requests);
            Assert.Equal(1, created[1].Requests);
        }
    }

    [Fact]
    public async Task Handlers_added_to_the_builder_see_every_request_marked_with_its_operation()
    {
        var recorder = new RecordingHandler();
        var services = new ServiceCollection();
        services.AddDurableStreams(o => o.BaseAddress = new Uri("http://streams.test/"))
            .AddHttpMessageHandler(() => recorder)
            .ConfigurePrimaryHttpMessageHandler(() => new AnsweringHandler());
        using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<DurableStreamClient>().GetStream("s").HeadAsync();

        Assert.Equal("head", Assert.Single(recorder.Sent).Operation);
    }
}
