using DurableStreams.FaultTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using static DurableStreams.FaultTests.Infrastructure.MalformedHarness;

namespace DurableStreams.FaultTests.Scenarios;

/// <summary>
/// (e) Answers that are well-formed but unbounded: a huge header, an endless body, a body that stalls after its
/// headers (catch-up and long-poll): a typed exception within the caller's deadline, no hang, no wrong data.
/// </summary>
public sealed class MalformedTransportTests
{
    public enum Case { HugeHeader, EndlessBody, StalledBody, StalledLongPollBody }

    [Theory]
    [InlineData(Case.HugeHeader)]
    [InlineData(Case.EndlessBody)]
    [InlineData(Case.StalledBody)]
    [InlineData(Case.StalledLongPollBody)]
    public Task Unbounded_answer_fails_typed_in_time_without_wrong_data(Case @case) => @case switch
    {
        Case.HugeHeader => Run(@case, LiveMode.Off, context =>
        {
            context.Response.Headers["X-Padding"] = new string('a', 512 * 1024);
            return MalformedCatchUpTests.Answer(context, JsonArray(0), "o1", upToDate: true);
        }, Legit()),
        Case.EndlessBody => Run(@case, LiveMode.Off, async context =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            context.Response.Headers["Stream-Next-Offset"] = "o1";
            context.Response.Headers["Stream-Up-To-Date"] = "true";
            await WriteForeverAsync(context, i => (i == 0 ? "[" : ",") + Json(i));
        }, Legit([.. Enumerable.Range(0, 6000)])),
        Case.StalledBody => Run(@case, LiveMode.Off, async context =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            context.Response.Headers["Stream-Next-Offset"] = "o1";
            context.Response.Headers["Stream-Up-To-Date"] = "true";
            context.Response.ContentLength = 10_000;
            await WriteAsync(context, "[" + Json(0) + ",");
            await StallAsync(context);
        }, Legit(0)),
        Case.StalledLongPollBody => Run(@case, LiveMode.LongPoll, async context =>
        {
            if (Query(context, "live") != "long-poll")
            {
                await MalformedCatchUpTests.Answer(context, JsonArray(0), "o1", upToDate: true, cursor: "c1");
                return;
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            context.Response.Headers["Stream-Next-Offset"] = "o2";
            context.Response.Headers["Stream-Cursor"] = "c2";
            context.Response.Headers["Stream-Up-To-Date"] = "true";
            await WriteAsync(context, "[" + Json(1));
            await StallAsync(context);
        }, Legit(0, 1)),
        _ => throw new ArgumentOutOfRangeException(nameof(@case)),
    };

    private static Task Run(Case @case, LiveMode live, RequestDelegate handler, IReadOnlyList<string> allowed) =>
        MalformedHarness.RunAsync($"Malformed.Transport.{@case}", handler,
            (client, sink, token) => ReadJsonAsync(client, live, sink, token), allowed);

}
