namespace DurableStreams.Tests.Support;

/// <summary>A <see cref="DurableStreamClient"/> over a <see cref="FakeHttpHandler"/>.</summary>
internal sealed class FakeClient : IDisposable
{
    public static readonly Uri BaseAddress = new("http://fake.test/v1/stream/");

    private readonly HttpClient _http;

    public FakeClient(FakeHttpHandler handler, Action<DurableStreamClientOptions>? configure = null)
    {
        Handler = handler;
        _http = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var options = new DurableStreamClientOptions();
        // Fake servers answer at once; keep real-clock backoffs short unless a test sets its own policy.
        options.Retry.InitialDelay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(20);
        configure?.Invoke(options);
        Client = new DurableStreamClient(_http, options);
    }

    public FakeHttpHandler Handler { get; }
    public DurableStreamClient Client { get; }

    public static Uri UrlOf(string path) => new(BaseAddress, path);

    public void Dispose()
    {
        Client.Dispose();
        _http.Dispose();
    }
}
