using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Reading;

/// <summary>
/// <see cref="StreamEvent{T}.Position"/> resumes exactly after its message, wherever the read stopped inside
/// a delivery, in every read mode, also when the resumed read gets the messages in other groupings; a
/// skip that overshoots the stream, or is used where there are no messages, is refused.
/// </summary>
public sealed class ExactPositionTests
{
    // Deliveries of 3, 5, 2 and 4 messages: 14 in all.
    private static readonly int[] Sizes = [3, 5, 2, 4];

    public static TheoryData<string> Modes => new("catch-up", "long-poll", "sse");

    private static ReadOptions Options(string mode, Offset from) => mode switch
    {
        "catch-up" => new ReadOptions { Offset = from },
        // Straight to the live request, so the deliveries come from it rather than from a catch-up GET.
        "long-poll" => new ReadOptions { Offset = from, Live = LiveMode.LongPoll, InitialCatchUp = false },
        "sse" => new ReadOptions { Offset = from, Live = LiveMode.Sse, InitialCatchUp = false },
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    private static async Task<List<StreamEvent<Numbered>>> ReadEventsAsync(DeliveryServer server, string mode, Offset from, int? stopAfter = null)
    {
        var events = new List<StreamEvent<Numbered>>();
        await using var response = await server.Stream.ReadAsync(Options(mode, from));
        await foreach (var e in response.ReadEventsAsync(TestJsonContext.Default.Numbered).WithHangGuard())
        {
            events.Add(e);
            if (events.Count == stopAfter) break;
        }
        return events;
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Resuming_from_the_position_of_any_event_continues_with_the_next_message(string mode)
    {
        for (var stop = 1; stop < 14; stop++)
        {
            using var server = new DeliveryServer(Sizes);
            var first = await ReadEventsAsync(server, mode, Offset.Beginning, stopAfter: stop);
            // Saved as text, as a consumer would store it.
            var saved = first[^1].Position.ToString();

            var rest = await ReadEventsAsync(server, mode, Offset.Parse(saved));

            Assert.Equal(Enumerable.Range(1, 14), first.Concat(rest).Select(e => e.Data.N));
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_resume_counts_its_skip_across_deliveries_the_server_now_splits_smaller(string mode)
    {
        using var server = new DeliveryServer(Sizes);
        var first = await ReadEventsAsync(server, mode, Offset.Beginning, stopAfter: 7); // 3 + 4 of the 5-message delivery
        var position = first[^1].Position;
        Assert.Equal(new Offset(DeliveryServer.Token(3), 4), position);

        server.MaxPerResponse = 1; // the skipped four now arrive as four deliveries
        var rest = await ReadEventsAsync(server, mode, position);

        Assert.Equal(Enumerable.Range(8, 7), rest.Select(e => e.Data.N));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Positions_are_exact_after_a_resume_too(string mode)
    {
        using var server = new DeliveryServer(Sizes);
        var resumed = await ReadEventsAsync(server, mode, new Offset(DeliveryServer.Token(3), 2), stopAfter: 2); // 6, 7

        Assert.Equal([6, 7], resumed.Select(e => e.Data.N));
        // Counted from the delivery's start, the two skipped messages included.
        Assert.Equal(new Offset(DeliveryServer.Token(3), 3), resumed[0].Position);
        Assert.Equal(new Offset(DeliveryServer.Token(3), 4), resumed[1].Position);
    }

    [Fact]
    public async Task Next_offset_is_after_the_whole_delivery_and_the_last_position_equals_it()
    {
        using var server = new DeliveryServer(Sizes);
        var events = await ReadEventsAsync(server, "catch-up", Offset.Beginning);

        Assert.All(events.Take(3), e => Assert.Equal(DeliveryServer.Token(3), e.NextOffset.ToString()));
        Assert.Equal(["-1,1", "-1,2", "000003"], events.Take(3).Select(e => e.Position.ToString()));
        Assert.Equal(events[2].NextOffset, events[2].Position);

        // Saving NextOffset per event is what loses data: resuming after message 1 from it skips 2 and 3.
        var fromNext = await ReadEventsAsync(server, "catch-up", events[0].NextOffset);
        Assert.Equal(4, fromNext[0].Data.N);
    }

    [Fact]
    public async Task Batches_give_the_same_positions_as_events()
    {
        using var server = new DeliveryServer(Sizes);
        var events = await ReadEventsAsync(server, "catch-up", Offset.Beginning);

        var positions = new List<Offset>();
        await using (var response = await server.Stream.ReadAsync())
        {
            await foreach (var batch in response.ReadJsonBatchesAsync(TestJsonContext.Default.Numbered).WithHangGuard())
            {
                for (var i = 0; i < batch.Items.Count; i++) positions.Add(batch.PositionAfter(i));
                Assert.Throws<ArgumentOutOfRangeException>(() => batch.PositionAfter(batch.Items.Count));
                Assert.Throws<ArgumentOutOfRangeException>(() => batch.PositionAfter(-1));
            }
        }

        Assert.Equal(events.Select(e => e.Position), positions);
    }

    [Fact]
    public async Task Chunks_and_plain_messages_read_from_a_position_start_after_the_skip()
    {
        using var server = new DeliveryServer(Sizes);
        var from = new Offset(DeliveryServer.Token(3), 3);

        await using (var response = await server.Stream.ReadAsync(new ReadOptions { Offset = from }))
        {
            var chunks = new List<StreamChunk>();
            await foreach (var chunk in response.ReadChunksAsync().WithHangGuard()) chunks.Add(chunk);
            Assert.Equal("[{\"n\":7},{\"n\":8}]", System.Text.Encoding.UTF8.GetString(chunks[0].Data.Span));
        }
        await using (var response = await server.Stream.ReadAsync(new ReadOptions { Offset = from }))
        {
            var items = await response.ReadAllJsonAsync(TestJsonContext.Default.Numbered).WaitAsync(TestTimeouts.Hang);
            Assert.Equal(Enumerable.Range(7, 8), items.Select(i => i.N));
        }
        Assert.All(server.RequestedIndexes.Take(2), i => Assert.True(i is 3 or 8)); // the token is what goes on the wire
    }

    [Fact]
    public async Task The_skip_ending_exactly_at_a_delivery_end_goes_on_with_the_next_delivery()
    {
        using var server = new DeliveryServer(Sizes);

        var rest = await ReadEventsAsync(server, "catch-up", new Offset(DeliveryServer.Token(3), 5));

        Assert.Equal(Enumerable.Range(9, 6), rest.Select(e => e.Data.N));
    }

    [Theory]
    [InlineData("catch-up")]
    [InlineData("long-poll")]
    public async Task A_body_that_breaks_off_while_skipping_is_fetched_again_from_the_same_token(string mode)
    {
        using var server = new DeliveryServer(Sizes);
        server.BrokenBodies = 1;

        var rest = await ReadEventsAsync(server, mode, new Offset(DeliveryServer.Token(3), 2));

        Assert.Equal(Enumerable.Range(6, 9), rest.Select(e => e.Data.N));
        Assert.Equal([3, 3], server.RequestedIndexes.Take(2));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_skip_past_the_end_of_the_stream_is_an_invalid_offset(string mode)
    {
        using var server = new DeliveryServer(Sizes);
        var from = new Offset(DeliveryServer.Token(10), 5); // only 4 messages follow

        var error = await Assert.ThrowsAsync<DurableStreamException>(() => ReadEventsAsync(server, mode, from).WaitAsync(TestTimeouts.Hang));

        Assert.Equal(DurableStreamErrorCode.InvalidOffset, error.Code);
        Assert.Equal(from, error.Offset);
    }

    [Fact]
    public async Task Typed_streams_give_and_accept_exact_positions()
    {
        using var server = new DeliveryServer(Sizes);
        var typed = server.Typed;

        var first = new List<StreamEvent<Numbered>>();
        await foreach (var e in typed.ReadEventsAsync().WithHangGuard())
        {
            first.Add(e);
            if (first.Count == 5) break;
        }
        var rest = typed.ReadEvents(first[^1].Position).ToList(); // blocking form
        var all = await typed.ReadAllAsync(first[1].Position);

        Assert.Equal(Enumerable.Range(1, 14), first.Concat(rest).Select(e => e.Data.N));
        var whole = await ReadEventsAsync(server, "catch-up", Offset.Beginning);
        Assert.Equal(whole.Select(e => e.Position), first.Concat(rest).Select(e => e.Position));
        Assert.Equal(Enumerable.Range(3, 12), all.Select(m => m.N));
    }
}
