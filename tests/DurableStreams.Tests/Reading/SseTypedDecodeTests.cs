using System.Text;
using DurableStreams.Reading;
using DurableStreams.Tests.Support;
using static DurableStreams.Tests.Support.SseScript;

namespace DurableStreams.Tests.Reading;

/// <summary>
/// Typed reads (<see cref="DurableStream{T}"/>) know their message type when they open, so their SSE data events are
/// decoded as they arrive (Reading/SseItemSink) instead of after the control event. What must not change: messages
/// reach the caller only once a control event commits them, with the same positions; a decode failure is the same
/// exception; data a connection lost before its control event is neither lost nor delivered twice.
/// </summary>
public sealed class SseTypedDecodeTests
{
    private const string Json = "application/json";

    // Arrays of one and of two, single values, whitespace around them, and events with no message at all; ~100 bytes
    // each, so a delivery of 3,000 events is decoded partly as it is received and partly in segments on the pool.
    private static readonly string Pad = new('x', 80);

    private static string Payload(int n) => (n % 5) switch
    {
        0 => $"[{{\"n\":{n},\"pad\":\"{Pad}\"}}]",
        1 => $"{{\"n\":{n},\"pad\":\"{Pad}\"}}",
        2 => $" [ {{\"n\":{n}}} , {{\"n\":{-n},\"pad\":\"{Pad}\"}} ]  ",
        3 => "[]",
        _ => $"\t{{\"n\":{n},\"pad\":\"{Pad}\"}} ",
    };

    private const int PerDelivery = 3000;

    private static string Deliveries(Func<int, string> payload)
    {
        var text = new StringBuilder();
        for (var n = 0; n < PerDelivery; n++) text.Append(Data(payload(n)));
        text.Append(Control($"{PerDelivery}", cursor: "c1"));
        for (var n = PerDelivery; n < 2 * PerDelivery; n++) text.Append(Data(payload(n)));
        text.Append(Control($"{2 * PerDelivery}", closed: true));
        return text.ToString();
    }

    [Fact]
    public void The_test_deliveries_are_large_enough_to_be_decoded_in_segments()
    {
        long bytes = 0;
        for (var n = 0; n < PerDelivery; n++) bytes += Encoding.UTF8.GetByteCount(Payload(n));
        Assert.True(bytes > 3 * SseItemSink.InlineBytes, $"{bytes} bytes of payloads per delivery");
    }

    private static readonly ReadOptions FromStart = new() { Offset = Offset.Beginning, Live = LiveMode.Sse, InitialCatchUp = false };

    [Fact]
    public async Task Typed_reads_decode_on_arrival_with_the_messages_and_positions_of_the_untyped_read()
    {
        using var untyped = new SseScript(Json, Respond.Sse(Deliveries(Payload)));
        using var typed = new SseScript(Json, Respond.Sse(Deliveries(Payload)));

        var expected = new List<(int, string, string, bool)>();
        await using (var response = await untyped.Stream.ReadAsync(FromStart))
        {
            await foreach (var e in response.ReadEventsAsync(TestJsonContext.Default.Numbered).WithHangGuard())
                expected.Add((e.Data.N, e.Position.ToString(), e.NextOffset.ToString(), e.StreamClosed));
        }
        var actual = new List<(int, string, string, bool)>();
        await foreach (var e in typed.Typed.ReadEventsAsync(FromStart).WithHangGuard())
            actual.Add((e.Data.N, e.Position.ToString(), e.NextOffset.ToString(), e.StreamClosed));

        Assert.Equal(2 * PerDelivery, expected.Count); // a fifth of the events without a message, a fifth with two
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Only_the_typed_handle_decodes_ahead_and_its_first_delivery_holds_messages_not_bytes()
    {
        using var script = new SseScript(Json, Respond.Sse(Deliveries(Payload)), Respond.Sse(Deliveries(Payload)));

        await using (var response = await script.Stream.ReadDecodingAsync(FromStart, TestJsonContext.Default.Numbered, default))
        {
            using var first = response.TakeFirstBatch()!;
            Assert.Null(first.Payloads);
            var items = SseDecodedDelivery.ItemsOf(first.Decoded!, TestJsonContext.Default.Numbered, script.Stream.Url, first.StartOffset);
            Assert.Equal(PerDelivery, items.Count);
            Assert.Equal(Enumerable.Range(0, PerDelivery).Where(n => n % 5 != 3).SelectMany(n => n % 5 == 2 ? new[] { n, -n } : [n]), items.Select(i => i.N));
            Assert.Equal($"{PerDelivery}", first.Offset);
            Assert.Equal("-1", first.DeliveryStart);
        }
        await using (var response = await script.Stream.ReadAsync(FromStart))
        {
            using var first = response.TakeFirstBatch()!;
            Assert.Null(first.Decoded);
            Assert.Equal(PerDelivery, first.Payloads!.Count);
        }
    }

    [Fact]
    public async Task Decoded_messages_wait_for_the_control_event_that_commits_them()
    {
        var events = Data(Payload(0)) + Data(Payload(1)) + Data(Payload(2));
        var body = new GatedStream(Encoding.UTF8.GetBytes(events), Encoding.UTF8.GetBytes(Control("3", closed: true)));
        using var script = new SseScript(Json, Respond.Sse(new StreamContent(body)));

        await using var messages = script.Typed.ReadAsync(FromStart).GetAsyncEnumerator();
        var moving = messages.MoveNextAsync().AsTask();
        // The parser asks for more bytes only once it has handled every event before them: all three are decoded.
        await body.ReadPending.WaitAsync(TestTimeouts.Hang);
        Assert.False(moving.IsCompleted); // nothing handed out before the control event

        body.Release();
        var received = new List<int>();
        for (var more = await moving.WaitAsync(TestTimeouts.Hang); more; more = await messages.MoveNextAsync().AsTask().WaitAsync(TestTimeouts.Hang))
            received.Add(messages.Current.N);
        Assert.Equal([0, 1, 2, -2], received);
    }

    [Theory]
    [InlineData(PerDelivery + 10)] // decoded as it was received
    [InlineData(PerDelivery + 1500)] // in a segment on the pool
    public async Task An_invalid_payload_fails_the_typed_read_exactly_as_the_untyped_read(int invalid)
    {
        // The earlier invalid payload (a string where a number belongs) is reported, in the second delivery, at its offset;
        // the later one (cut off) is in a later segment.
        string Broken(int n) => n == invalid ? "[{\"n\":\"seven hundred\"}]" : n == 2 * PerDelivery - 5 ? "[{\"n\":1}" : Payload(n);
        using var untyped = new SseScript(Json, Respond.Sse(Deliveries(Broken)));
        using var typed = new SseScript(Json, Respond.Sse(Deliveries(Broken)));

        var untypedCount = 0;
        var expected = await Assert.ThrowsAsync<DurableStreamParseException>(async () =>
        {
            await using var response = await untyped.Stream.ReadAsync(FromStart);
            await foreach (var _ in response.ReadJsonAsync(TestJsonContext.Default.Numbered).WithHangGuard()) untypedCount++;
        });
        var typedCount = 0;
        var actual = await Assert.ThrowsAsync<DurableStreamParseException>(async () =>
        {
            await foreach (var _ in typed.Typed.ReadAsync(FromStart).WithHangGuard()) typedCount++;
        });

        Assert.Equal(PerDelivery, typedCount); // the first delivery, and nothing of the failing one
        Assert.Equal(untypedCount, typedCount);
        Assert.Contains("could not be converted", actual.Message);
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal(expected.Url, actual.Url);
        Assert.Equal(expected.Offset, actual.Offset);
    }

    [Fact]
    public async Task Data_a_dropped_connection_had_not_committed_is_delivered_once_and_its_decode_failure_forgotten()
    {
        // The first connection ends after an uncommitted, undecodable event; the server resends that position validly.
        using var script = new SseScript(Json,
            Respond.Sse(Data(Payload(0)) + Control("1", cursor: "c1") + Data(Payload(1)) + Data("{\"n\":\"bad\"}")),
            Respond.Sse(Data(Payload(1)) + Control("2", cursor: "c2") + Data(Payload(2)) + Control("3", closed: true)));

        var received = new List<(int, string)>();
        await foreach (var batch in script.Typed.ReadBatchesAsync(FromStart).WithHangGuard())
            for (var i = 0; i < batch.Items.Count; i++) received.Add((batch.Items[i].N, batch.PositionAfter(i).ToString()));

        Assert.Equal([(0, "1"), (1, "2"), (2, "2,1"), (-2, "3")], received);
        Assert.Equal("1", script.SseRequests[1].Query("offset"));
        Assert.Equal("c1", script.SseRequests[1].Query("cursor"));
    }

    [Fact]
    public async Task A_connection_lost_while_segments_decode_delivers_each_message_once()
    {
        // The second delivery is cut off after segments of it went to the pool and after an undecodable event; the
        // next connection resends it whole from the first delivery's offset.
        var first = Deliveries(Payload);
        var cut = first[..first.IndexOf("event: control", first.IndexOf("event: control") + 1)] + Data("{\"n\":\"bad\"}");
        using var script = new SseScript(Json, Respond.Sse(cut), Respond.Sse(first[(first.IndexOf("event: control") + Control($"{PerDelivery}", cursor: "c1").Length)..]));

        var received = new List<int>();
        await foreach (var n in script.Typed.ReadAsync(FromStart).WithHangGuard()) received.Add(n.N);

        Assert.Equal(Enumerable.Range(0, 2 * PerDelivery).Where(n => n % 5 != 3).SelectMany(n => n % 5 == 2 ? new[] { n, -n } : [n]), received);
        Assert.Equal($"{PerDelivery}", script.SseRequests[1].Query("offset"));
    }

    [Fact]
    public async Task A_typed_read_with_a_resume_skip_still_drops_exactly_the_skipped_messages()
    {
        using var script = new SseScript(Json, Respond.Sse(Data("[{\"n\":10},{\"n\":11},{\"n\":12}]") + Control("3", closed: true)));
        var options = new ReadOptions { Offset = new Offset("0", 2), Live = LiveMode.Sse, InitialCatchUp = false };

        var received = new List<(int, string)>();
        await foreach (var e in script.Typed.ReadEventsAsync(options).WithHangGuard()) received.Add((e.Data.N, e.Position.ToString()));

        Assert.Equal([(12, "3")], received);
    }

    /// <summary>A body that yields its first part, then waits for <see cref="Release"/> before the second, then ends.</summary>
    private sealed class GatedStream(byte[] first, byte[] second) : Stream
    {
        private readonly TaskCompletionSource _readPending = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ReadOnlyMemory<byte> _first = first;
        private ReadOnlyMemory<byte> _second = second;

        /// <summary>Completes once a reader asks for bytes past the first part.</summary>
        public Task ReadPending => _readPending.Task;

        public void Release() => _gate.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_first.IsEmpty) return Take(ref _first, buffer.Span);
            _readPending.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
            return Take(ref _second, buffer.Span);
        }

        private static int Take(ref ReadOnlyMemory<byte> part, Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, part.Length);
            part.Span[..n].CopyTo(buffer);
            part = part[n..];
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
