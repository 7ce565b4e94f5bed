using System.Net.Http.Json;
using System.Text.Json.Serialization;
using DurableStreams.Testing;

namespace DurableStreams.Tests.Integration;

/// <summary>
/// One reference server per test class (<c>IClassFixture</c>); tests isolate themselves by using
/// a fresh stream path each (<see cref="NewPath"/>).
/// </summary>
public sealed class ReferenceServerFixture : IAsyncLifetime, Subscriptions.ISubscriptionServer
{
    private ReferenceServer? _server;
    private HttpClient? _control;

    public ReferenceServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Where the tests' streams live.</summary>
    public Uri StreamBase => new(Server.BaseAddress, "v1/stream/");

    public async ValueTask InitializeAsync()
    {
        _server = await ReferenceServer.StartAsync(new ReferenceServerOptions());
        _control = new HttpClient { BaseAddress = _server.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _control?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>A client of the server; callers dispose it.</summary>
    public DurableStreamClient CreateClient(Action<DurableStreamClientOptions>? configure = null)
    {
        var options = new DurableStreamClientOptions();
        options.Retry.InitialDelay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
        configure?.Invoke(options);
        return new DurableStreamClient(StreamBase, options);
    }

    /// <summary>A stream path no other test uses.</summary>
    public static string NewPath(string name) => $"{name}-{Guid.NewGuid():N}";

    /// <summary>The absolute path of a stream, as the server (and fault injection) sees it.</summary>
    public string ServerPath(string path) => new Uri(StreamBase, path).AbsolutePath;

    /// <summary>Arms the server's fault injection for <paramref name="fault"/>.<see cref="Fault.Path"/>.</summary>
    public async Task InjectAsync(Fault fault)
    {
        using var response = await _control!.PostAsJsonAsync("_test/inject-error", fault, FaultJson.Default.Fault);
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>Body of <c>POST /_test/inject-error</c>.</summary>
public sealed record Fault(string Path)
{
    public int? Status { get; init; }
    public int? Count { get; init; }
    public int? RetryAfter { get; init; }
    public int? DelayMs { get; init; }
    public bool? DropConnection { get; init; }
    public string? Method { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Fault))]
internal sealed partial class FaultJson : JsonSerializerContext;
