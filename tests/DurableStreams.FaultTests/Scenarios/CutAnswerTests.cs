using DurableStreams.FaultTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using static DurableStreams.FaultTests.Infrastructure.MalformedHarness;

namespace DurableStreams.FaultTests.Scenarios;

/// <summary>
/// The fault the random scenarios hit now and then, made deterministic: an answer at the tail (its next offset is
/// the one asked for, its body a tiny empty array) whose body breaks off. Nothing of it was delivered, so the read
/// must fetch it again and go on, catch-up and long-poll alike, with no error and no duplicate.
/// </summary>
public sealed class CutAnswerTests
{
    public enum Case { CatchUpAtTail, LongPollAtTail }

    [Theory]
    [InlineData(Case.CatchUpAtTail)]
    [InlineData(Case.LongPollAtTail)]
    public Task Tail_answer_cut_mid_body_is_fetched_again(Case @case)
    {
        var key = $"Cut.{@case}";
        return KnownFailures.RunAsync(key, () => HardDeadline.RunAsync(HardLimit, key, async _ =>
        {
            FaultSettings.Log($"[faults] case '{key}' (deterministic; run seed {FaultSettings.Seed})");
            await using var fake = await FakeUpstream.StartAsync();
            var cuts = 0;
            fake.Handler = async context =>
            {
                var offset = Query(context, "offset");
                var live = Query(context, "live") == "long-poll";
                if (offset == "o1" && Interlocked.Increment(ref cuts) == 1)
                {
                    await CutTailAsync(context, "o1"); // the first answer at o1 breaks off
                    return;
                }

                if (@case == Case.CatchUpAtTail || !live)
                    await MalformedCatchUpTests.Answer(context, offset == "o1" ? "[]" : JsonArray(0), "o1", upToDate: true, cursor: "c1");
                else if (offset == "o1")
                    await MalformedCatchUpTests.Answer(context, JsonArray(1), "o2", upToDate: true, cursor: "c2");
                else
                    await StallAsync(context); // at o2: a long-poll that has nothing yet
            };

            using var client = CreateClient(fake);
            using var caller = new CancellationTokenSource(CallerDeadline);
            var typed = new DurableStream<Msg>(client.GetStream("s", "application/json"), FaultJson.Default.Msg);
            var seen = new List<int>();
            var options = @case == Case.CatchUpAtTail
                ? new ReadOptions { Offset = new Offset("o1"), Live = LiveMode.Off }
                : new ReadOptions { Live = LiveMode.LongPoll };
            await foreach (var e in typed.ReadEventsAsync(options, caller.Token))
            {
                seen.Add(e.Data.Seq);
                if (seen.Count == 2) break;
            }

            Assert.Equal(@case == Case.CatchUpAtTail ? [] : [0, 1], seen);
            Assert.True(cuts >= 2, $"The cut answer was not fetched again ({cuts} requests at o1).");
        }));
    }

    private static async Task CutTailAsync(HttpContext context, string offset)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers["Stream-Next-Offset"] = offset;
        context.Response.Headers["Stream-Cursor"] = "c1";
        context.Response.Headers["Stream-Up-To-Date"] = "true";
        context.Response.ContentLength = 2;
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        context.Abort();
    }
}
