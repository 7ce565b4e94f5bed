using System.Text.Json;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Api;

/// <summary>
/// Every blocking form takes a token and passes it to its async twin: against a server that holds
/// every request (long-polls included) the call returns only when the token is cancelled, with
/// <see cref="OperationCanceledException"/>, well before any request timeout (30 s) would end it.
/// </summary>
public sealed class BlockingCancellationTests
{
    private static DurableStream<Numbered> Typed(DurableStreamClient client) => new(client.GetStream("s", "application/json"), TestJsonContext.Default.Numbered);

    private static StreamResponse OpenLive(DurableStreamClient client) =>
        client.GetStream("s").Read(new ReadOptions { Live = LiveMode.LongPoll });

    private static readonly Dictionary<string, Func<DurableStreamClient, CancellationToken, object?>> Calls = new()
    {
        ["client.CreateStream"] = (c, ct) => c.CreateStream("s", null, ct),
        ["client.Connect"] = (c, ct) => c.Connect("s", ct),
        ["client.Stream(live)"] = (c, ct) => c.Stream("s", new ReadOptions { Live = LiveMode.LongPoll, InitialCatchUp = false, Offset = Offset.Now }, ct),
        ["stream.Create"] = (c, ct) => c.GetStream("s").Create(null, ct),
        ["stream.Head"] = (c, ct) => c.GetStream("s").Head(ct),
        ["stream.Delete"] = (c, ct) => { c.GetStream("s").Delete(ct); return null; },
        ["stream.Append(bytes)"] = (c, ct) => c.GetStream("s", "text/plain").Append("x"u8.ToArray(), null, ct),
        ["stream.Append(text)"] = (c, ct) => c.GetStream("s", "text/plain").Append("x", null, ct),
        ["stream.AppendJson"] = (c, ct) => c.GetStream("s", "application/json").AppendJson(new Numbered(1), TestJsonContext.Default.Numbered, null, ct),
        ["stream.Close"] = (c, ct) => c.GetStream("s").Close(null, ct),
        ["stream.Read(live)"] = (c, ct) => c.GetStream("s").Read(new ReadOptions { Live = LiveMode.LongPoll, InitialCatchUp = false, Offset = Offset.Now }, ct),
        ["typed.Create"] = (c, ct) => Typed(c).Create(cancellationToken: ct),
        ["typed.Head"] = (c, ct) => Typed(c).Head(ct),
        ["typed.Delete"] = (c, ct) => { Typed(c).Delete(ct); return null; },
        ["typed.Append"] = (c, ct) => Typed(c).Append(new Numbered(1), null, ct),
        ["typed.Close"] = (c, ct) => Typed(c).Close(ct),
        ["typed.Close(final)"] = (c, ct) => Typed(c).Close(new Numbered(1), ct),
        ["typed.Read"] = (c, ct) => Typed(c).Read(default, LiveMode.LongPoll, ct).ToList(),
        ["typed.ReadEvents"] = (c, ct) => Typed(c).ReadEvents(default, LiveMode.LongPoll, ct).ToList(),
        ["typed.ReadBatches"] = (c, ct) => Typed(c).ReadBatches(default, LiveMode.LongPoll, ct).ToList(),
        ["typed.ReadAll"] = (c, ct) => Typed(c).ReadAll(default, LiveMode.LongPoll, ct),
        ["response.ReadAllBytes"] = (c, ct) => OpenLive(c).ReadAllBytes(ct),
        ["response.ReadAllText"] = (c, ct) => OpenLive(c).ReadAllText(ct),
        ["response.ReadAllJson"] = (c, ct) => OpenLive(c).ReadAllJson(TestJsonContext.Default.JsonElement, ct),
        ["response.ReadChunks"] = (c, ct) => OpenLive(c).ReadChunks(ct).ToList(),
        ["response.ReadText"] = (c, ct) => OpenLive(c).ReadText(ct).ToList(),
        ["response.ReadJson"] = (c, ct) => OpenLive(c).ReadJson(TestJsonContext.Default.JsonElement, ct).ToList(),
        ["response.ReadJsonBatches"] = (c, ct) => OpenLive(c).ReadJsonBatches(TestJsonContext.Default.JsonElement, ct).ToList(),
    };

    public static TheoryData<string> CallNames => new(Calls.Keys);

    [Theory]
    [MemberData(nameof(CallNames))]
    public async Task A_blocking_call_is_cancelled_by_its_token(string call)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new FakeHttpHandler(async (request, ct) =>
        {
            // Catch-up reads are answered (an empty JSON stream, up to date) so reads reach their long-poll.
            if (request.IsCatchUp) return Respond.Read("[]", "application/json", "1_0");
            held.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                released.TrySetResult();
                throw;
            }
            return Respond.Unexpected(request);
        });
        // Unbatched, so a cancelled append aborts its own POST (a batched one may carry others' data and goes on).
        using var fake = new FakeClient(handler, o => o.BatchAppends = false);
        using var cts = new CancellationTokenSource();

        var blocking = Task.Run(() => Calls[call](fake.Client, cts.Token));
        await held.Task.WaitAsync(TestTimeouts.Hang);
        Assert.False(blocking.IsCompleted, $"{call} returned while its request was held");
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocking.WaitAsync(TestTimeouts.Hang));
        await released.Task.WaitAsync(TestTimeouts.Hang); // the held request was aborted, not left running
    }

    [Fact]
    public async Task A_blocking_long_poll_read_throws_promptly_with_the_callers_token()
    {
        var handler = new FakeHttpHandler(async (request, ct) =>
        {
            if (request.IsCatchUp) return Respond.Read("a", "text/plain", "1_1");
            await Task.Delay(Timeout.Infinite, ct);
            return Respond.Unexpected(request);
        });
        using var fake = new FakeClient(handler);
        using var cts = new CancellationTokenSource();
        using var response = fake.Client.Stream("s", new ReadOptions { Live = LiveMode.LongPoll }, cts.Token);

        var reading = Task.Run(() => response.ReadText(cts.Token).ToList());
        await handler.WaitUntilAsync(r => r.Any(x => x.IsLongPoll), "the long-poll");
        var cancelledAt = DateTime.UtcNow;
        cts.Cancel();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(TestTimeouts.Hang));
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.True(DateTime.UtcNow - cancelledAt < TimeSpan.FromSeconds(10), "the read outlived its token by seconds");
    }

    [Fact]
    public void A_token_cancelled_before_the_call_stops_it_before_any_request()
    {
        var handler = new FakeHttpHandler(request => Respond.Read("[]", "application/json", "1_0"));
        using var fake = new FakeClient(handler);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => fake.Client.Stream("s", null, cts.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => Typed(fake.Client).ReadAll(cancellationToken: cts.Token));
        Assert.Empty(handler.Requests);
    }
}
