using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DurableStreams.Server.Tests.Subscriptions;

/// <summary>
/// The server on a fake clock (leases and retries move only when a test advances it), with an optional webhook
/// receiver at <c>/hook</c> in the same app whose answers the test chooses.
/// </summary>
internal sealed class SubscriptionTestHost : IAsyncDisposable
{
    private readonly TestApp _app;

    private SubscriptionTestHost(TestApp app, FakeTimeProvider clock, WebhookReceiver receiver)
    {
        _app = app;
        Clock = clock;
        Receiver = receiver;
        Http = new HttpClient { BaseAddress = new Uri(app.Address, "v1/stream/") };
    }

    public FakeTimeProvider Clock { get; }
    public WebhookReceiver Receiver { get; }
    public HttpClient Http { get; }
    public Uri HookUrl => new(_app.Address, "hook");

    public static async Task<SubscriptionTestHost> StartAsync(Action<DurableStreamsServerOptions>? configure = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var receiver = new WebhookReceiver();
        var app = await TestApp.StartAsync(
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(clock);
                builder.Services.AddDurableStreamsServer(options =>
                {
                    options.Subscriptions.EnableWebhooks = true;
                    options.Subscriptions.AllowLocalhostWebhooks = true;
                    configure?.Invoke(options);
                });
            },
            web =>
            {
                web.UseCors();
                web.MapDurableStreams();
                web.MapPost("/hook", receiver.HandleAsync);
            });
        return new SubscriptionTestHost(app, clock, receiver);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Http.SendAsync(request);
    }

    public async Task<JsonElement> JsonAsync(HttpMethod method, string path, string? json = null, string? token = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SendAsync(method, path, json, token);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task CreateJsonStreamAsync(string path, string body = "[]")
    {
        using var response = await SendAsync(HttpMethod.Put, path, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public async Task AppendAsync(string path, string json)
    {
        using var response = await SendAsync(HttpMethod.Post, path, json);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public async Task<JsonElement> ReadJsonAsync(string path) => await JsonAsync(HttpMethod.Get, path + "?offset=-1");

    /// <summary>Polls until <paramref name="condition"/> holds; the bound only stops a broken run from hanging.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("Gave up waiting: " + what);
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }
}

/// <summary>Records each webhook POST (raw body and signature) and answers with the next queued reply.</summary>
internal sealed class WebhookReceiver
{
    private readonly Queue<(int Status, string Body)> _replies = new();
    private readonly List<(string Body, string? Signature)> _received = [];

    public void Reply(int status, string body)
    {
        lock (_replies) _replies.Enqueue((status, body));
    }

    public IReadOnlyList<(string Body, string? Signature)> Received
    {
        get { lock (_received) return [.. _received]; }
    }

    public async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        lock (_received) _received.Add((body, context.Request.Headers["Webhook-Signature"].FirstOrDefault()));
        (int Status, string Body) reply;
        lock (_replies) reply = _replies.Count > 0 ? _replies.Dequeue() : (200, "{}");
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(reply.Body);
    }
}
