using System.Net;
using System.Text;
using DurableStreams.Http;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Http;

/// <summary>
/// Response bodies have a deadline and a size bound: a body that stops sending fails the read with a
/// typed timeout, an endless one with <see cref="ResponseTooLargeException"/>, and neither is buffered
/// without bound nor waited on forever.
/// </summary>
public sealed class BoundedBodyTests
{
    /// <summary>Bytes forever (the given filler after the prefix); counts what it produced.</summary>
    private sealed class EndlessStream(byte[] prefix, byte filler) : Stream
    {
        private long _produced;
        public long Produced => Interlocked.Read(ref _produced);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var span = buffer.Span;
            for (var i = 0; i < span.Length; i++)
            {
                var at = _produced + i;
                span[i] = at < prefix.Length ? prefix[at] : filler;
            }
            Interlocked.Add(ref _produced, span.Length);
            return ValueTask.FromResult(span.Length);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static FakeClient Create(FakeHttpHandler handler, Action<DurableStreamClientOptions>? configure = null) =>
        new(handler, o =>
        {
            o.Retry.MaxRetries = 0;
            o.RequestTimeout = TimeSpan.FromMilliseconds(300);
            configure?.Invoke(o);
        });

    [Fact]
    public async Task A_catch_up_body_that_stalls_fails_with_a_typed_timeout()
    {
        var handler = new FakeHttpHandler(_ => Respond.Read(new StreamContent(new HangingStream("abc"u8.ToArray())), "text/plain", "1_3"));
        using var fake = Create(handler);

        await using var response = await fake.Client.GetStream("s").ReadAsync().WaitAsync(TestTimeouts.Hang);
        var error = await Assert.ThrowsAsync<ResponseStalledException>(() => response.ReadAllBytesAsync().WaitAsync(TestTimeouts.Hang));

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal(DurableStreamErrorCode.Network, error.Code);
        Assert.Equal(TimeSpan.FromMilliseconds(300), error.Timeout);
        Assert.Equal(FakeClient.UrlOf("s"), error.Url);
        Assert.Contains("stalled", error.Message);
    }

    [Fact]
    public async Task A_stalled_body_is_not_fetched_again_so_the_wait_stays_one_timeout()
    {
        var handler = new FakeHttpHandler(_ => Respond.Read(new StreamContent(new HangingStream("ab"u8.ToArray())), "application/octet-stream", "1_3"));
        using var fake = Create(handler, o => o.Retry.MaxRetries = 2);

        await using var response = await fake.Client.GetStream("s").ReadAsync().WaitAsync(TestTimeouts.Hang);
        await Assert.ThrowsAsync<ResponseStalledException>(() => response.ReadAllBytesAsync().WaitAsync(TestTimeouts.Hang));

        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task A_long_poll_body_that_stalls_fails_with_a_typed_timeout()
    {
        var handler = new FakeHttpHandler(r => r.IsCatchUp
            ? Respond.Read("", "text/plain", "1_0")
            : Respond.Read(new StreamContent(new HangingStream("ab"u8.ToArray())), "text/plain", "1_2", cursor: "c1"));
        using var fake = Create(handler, o => o.LongPollTimeout = TimeSpan.FromMilliseconds(300));

        await using var response = await fake.Client.GetStream("s").ReadAsync(new ReadOptions { Live = LiveMode.LongPoll }).WaitAsync(TestTimeouts.Hang);
        var error = await Assert.ThrowsAsync<ResponseStalledException>(async () =>
        {
            await foreach (var _ in response.ReadChunksAsync().WithHangGuard()) { }
        });

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal(TimeSpan.FromMilliseconds(300), error.Timeout); // its first bytes came: the request timeout applies
        Assert.Contains(handler.Requests, r => r.IsLongPoll);
    }

    [Fact]
    public async Task A_long_poll_body_may_take_the_long_poll_timeout_for_its_first_bytes()
    {
        var handler = new FakeHttpHandler(r => r.IsCatchUp
            ? Respond.Read("", "text/plain", "1_0")
            : Respond.Read(new StreamContent(new HangingStream()), "text/plain", "1_2", cursor: "c1"));
        using var fake = Create(handler, o => o.LongPollTimeout = TimeSpan.FromMilliseconds(300));

        await using var response = await fake.Client.GetStream("s").ReadAsync(new ReadOptions { Live = LiveMode.LongPoll }).WaitAsync(TestTimeouts.Hang);
        var error = await Assert.ThrowsAsync<ResponseStalledException>(async () =>
        {
            await foreach (var _ in response.ReadChunksAsync().WithHangGuard()) { }
        });

        Assert.Equal(TimeSpan.FromMilliseconds(600), error.Timeout); // request timeout + long-poll timeout
    }

    [Fact]
    public async Task An_endless_body_stops_at_MaxResponseBytes()
    {
        var body = new EndlessStream([], (byte)'a');
        var handler = new FakeHttpHandler(_ => Respond.Read(new StreamContent(body), "application/octet-stream", "1_0"));
        using var fake = Create(handler, o => o.MaxResponseBytes = 1024 * 1024);

        await using var response = await fake.Client.GetStream("s").ReadAsync().WaitAsync(TestTimeouts.Hang);
        var error = await Assert.ThrowsAsync<ResponseTooLargeException>(() => response.ReadAllBytesAsync().WaitAsync(TestTimeouts.Hang));

        Assert.Equal(DurableStreamErrorCode.ResponseTooLarge, error.Code);
        Assert.Equal(1024 * 1024, error.Limit);
        Assert.Equal(FakeClient.UrlOf("s"), error.Url);
        // Read no further than the limit and one read's worth past it.
        Assert.InRange(body.Produced, 1024 * 1024, 1024 * 1024 + 64 * 1024);
        Assert.Single(handler.Requests); // not retried: the same body would be as large again
    }

    [Fact]
    public async Task An_endless_JSON_array_stops_at_MaxResponseBytes_while_it_is_decoded()
    {
        var body = new EndlessStream("[1"u8.ToArray(), (byte)' ');
        var handler = new FakeHttpHandler(_ => Respond.Read(new StreamContent(body), "application/json", "1_0"));
        using var fake = Create(handler, o => o.MaxResponseBytes = 2 * 1024 * 1024);

        await using var response = await fake.Client.GetStream("s").ReadAsync().WaitAsync(TestTimeouts.Hang);
        var error = await Assert.ThrowsAsync<ResponseTooLargeException>(async () =>
        {
            await foreach (var _ in response.ReadJsonAsync(TestJsonContext.Default.Int32).WithHangGuard()) { }
        });

        Assert.Equal(2 * 1024 * 1024, error.Limit);
        Assert.InRange(body.Produced, 2 * 1024 * 1024, 3 * 1024 * 1024);
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_fails_before_the_body_is_read()
    {
        var body = new EndlessStream([], (byte)'a');
        var handler = new FakeHttpHandler(_ =>
        {
            var content = new StreamContent(body);
            content.Headers.ContentLength = 10_000;
            return Respond.Read(content, "application/octet-stream", "1_0");
        });
        using var fake = Create(handler, o => o.MaxResponseBytes = 4096);

        var error = await Assert.ThrowsAsync<ResponseTooLargeException>(async () =>
        {
            await using var response = await fake.Client.GetStream("s").ReadAsync().WaitAsync(TestTimeouts.Hang);
            await response.ReadAllBytesAsync().WaitAsync(TestTimeouts.Hang);
        });

        Assert.Equal(4096, error.Limit);
        Assert.Equal(0, body.Produced);
    }

    [Fact]
    public async Task The_stall_clock_runs_only_while_a_read_waits_for_bytes()
    {
        var request = new StreamRequest { Method = HttpMethod.Get, Url = FakeClient.UrlOf("s"), Kind = RequestKind.Read };
        await using var stream = new BoundedReadStream(new MemoryStream(Encoding.UTF8.GetBytes("abcdef")), new BodyLimits(TimeSpan.FromMilliseconds(50), 100, request));
        var buffer = new byte[3];

        Assert.Equal(3, await stream.ReadAsync(buffer));
        await Task.Delay(300); // a consumer busy for six stall periods is not a stalled server
        Assert.Equal(3, await stream.ReadAsync(buffer));
        Assert.Equal(0, await stream.ReadAsync(buffer));
    }

    [Fact]
    public async Task A_caller_cancellation_is_reported_as_such_not_as_a_stall()
    {
        var request = new StreamRequest { Method = HttpMethod.Get, Url = FakeClient.UrlOf("s"), Kind = RequestKind.Read };
        await using var stream = new BoundedReadStream(new HangingStream(), new BodyLimits(TimeSpan.FromSeconds(30), 100, request));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.ReadAsync(new byte[4], cts.Token).AsTask().WaitAsync(TestTimeouts.Hang));

        Assert.Equal(cts.Token, error.CancellationToken);
    }

    [Fact]
    public async Task An_endless_error_body_is_read_only_up_to_8_KiB()
    {
        var body = new EndlessStream("broken: "u8.ToArray(), (byte)'x');
        var handler = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StreamContent(body) });
        using var fake = Create(handler);

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => fake.Client.GetStream("s", "text/plain").AppendAsync("x").WaitAsync(TestTimeouts.Hang));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.StartsWith("broken: x", error.ResponseText);
        Assert.Equal(8 * 1024, error.ResponseText!.Length);
        Assert.InRange(body.Produced, 8 * 1024, 16 * 1024);
    }

    [Fact]
    public async Task A_stalled_error_body_does_not_hang_the_request()
    {
        var handler = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StreamContent(new HangingStream("no such stream"u8.ToArray())) });
        using var fake = Create(handler);

        var error = await Assert.ThrowsAsync<StreamNotFoundException>(() => fake.Client.GetStream("s").HeadAsync().WaitAsync(TestTimeouts.Hang));

        Assert.Equal("no such stream", error.ResponseText ?? "no such stream");
        Assert.Contains("no such stream", error.Message);
    }
}
