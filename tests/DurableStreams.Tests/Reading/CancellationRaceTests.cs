using System.Net;
using System.Text;
using DurableStreams.Tests.Support;
using static DurableStreams.Tests.Support.SseScript;

namespace DurableStreams.Tests.Reading;

/// <summary>
/// A connection reset that surfaces just after the caller cancelled raced with that cancellation: the caller gets
/// <see cref="OperationCanceledException"/> carrying its own token (the reset inside), never the raw transport
/// exception. Each fake cancels the caller's token and then fails, which is the order the race takes on a fast machine.
/// </summary>
public sealed class CancellationRaceTests
{
    [Fact]
    public async Task A_send_that_fails_after_the_caller_cancelled_throws_the_cancellation()
    {
        using var cts = new CancellationTokenSource();
        var handler = new FakeHttpHandler((request, _) =>
        {
            if (request.IsCatchUp) return Task.FromResult(Respond.Read("a", "text/plain", "1_1"));
            cts.Cancel();
            throw new IOException("Unable to read data from the transport connection: Connection reset by peer.");
        });
        using var fake = new FakeClient(handler);
        await using var response = await fake.Client.GetStream("s").ReadAsync(new ReadOptions { Live = LiveMode.LongPoll });

        var read = response.ReadAllBytesAsync(cts.Token);

        await AssertCancelledByResetAsync(read, cts.Token);
    }

    [Fact]
    public async Task A_long_poll_body_cut_after_the_caller_cancelled_throws_the_cancellation()
    {
        using var cts = new CancellationTokenSource();
        var handler = new FakeHttpHandler(request =>
        {
            if (request.IsCatchUp) return Respond.Read("", "text/plain", "1_0");
            if (request.IsLongPoll) return Respond.Read(new StreamContent(new ResetStream("par"u8.ToArray(), cts.Cancel)), "text/plain", "1_7", cursor: "c");
            return Respond.Unexpected(request);
        });
        using var fake = new FakeClient(handler);
        await using var response = await fake.Client.GetStream("s").ReadAsync(new ReadOptions { Live = LiveMode.LongPoll });

        var read = response.ReadAllBytesAsync(cts.Token);

        await AssertCancelledByResetAsync(read, cts.Token);
    }

    [Fact]
    public async Task A_typed_body_cut_after_the_caller_cancelled_throws_the_cancellation()
    {
        using var cts = new CancellationTokenSource();
        var handler = new FakeHttpHandler(request =>
        {
            if (request.IsCatchUp) return Respond.Read("[]", "application/json", "1_0");
            if (request.IsLongPoll)
                return Respond.Read(new StreamContent(new ResetStream("[{\"n\":1},"u8.ToArray(), cts.Cancel)), "application/json", "1_9", cursor: "c");
            return Respond.Unexpected(request);
        });
        using var fake = new FakeClient(handler);
        await using var response = await fake.Client.GetStream("s", "application/json").ReadAsync(new ReadOptions { Live = LiveMode.LongPoll });

        var read = Task.Run(async () =>
        {
            await foreach (var _ in response.ReadJsonAsync(TestJsonContext.Default.Numbered, cts.Token)) { }
        });

        await AssertCancelledByResetAsync(read, cts.Token);
    }

    [Fact]
    public async Task An_sse_connection_reset_after_the_caller_cancelled_throws_the_cancellation_and_does_not_reconnect()
    {
        using var cts = new CancellationTokenSource();
        var body = new ResetStream(Encoding.UTF8.GetBytes(Data("a") + Control("1_1", cursor: "c", upToDate: true)), cts.Cancel);
        using var script = new SseScript("text/plain", Respond.Sse(new StreamContent(body)));
        await using var response = await script.OpenAsync();
        var received = new List<string>();

        var read = Task.Run(async () =>
        {
            await foreach (var text in response.ReadTextAsync(cts.Token)) received.Add(text);
        });

        await AssertCancelledByResetAsync(read, cts.Token);
        Assert.Equal(["a"], received);
        Assert.Single(script.SseRequests); // the caller stopped: no reconnect
    }

    private static async Task AssertCancelledByResetAsync(Task read, CancellationToken token)
    {
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(TestTimeouts.Hang));
        Assert.True(error.CancellationToken == token, $"the cancellation does not carry the caller's token: {error}");
        Assert.True(Chain(error).Any(e => e is IOException), $"the reset is not inside the cancellation: {error}");
    }

    private static IEnumerable<Exception> Chain(Exception? error)
    {
        for (; error is not null; error = error.InnerException) yield return error;
    }

    /// <summary>Yields <c>prefix</c>; the next read cancels the caller (through <c>cancel</c>) and then fails like a reset connection.</summary>
    private sealed class ResetStream(byte[] prefix, Action cancel) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            if (!_prefix.IsEmpty)
            {
                var n = Math.Min(buffer.Length, _prefix.Length);
                _prefix[..n].CopyTo(buffer);
                _prefix = _prefix[n..];
                return n;
            }
            cancel();
            throw new IOException("Unable to read data from the transport connection: Connection reset by peer.");
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("reads are async");
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
