using DurableStreams.FaultTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using static DurableStreams.FaultTests.Infrastructure.MalformedHarness;

namespace DurableStreams.FaultTests.Scenarios;

/// <summary>
/// (e) Malformed catch-up and long-poll answers (truncated JSON, wrong content type, missing or non-advancing offsets,
/// a live answer without a cursor): a typed exception within the caller's deadline, no wrong data.
/// </summary>
public sealed class MalformedCatchUpTests
{
    public enum Case { TruncatedJsonArray, WrongContentType, MissingNextOffset, NonAdvancingOffset, LongPollWithoutCursor }

    [Theory]
    [InlineData(Case.TruncatedJsonArray)]
    [InlineData(Case.WrongContentType)]
    [InlineData(Case.MissingNextOffset)]
    [InlineData(Case.NonAdvancingOffset)]
    [InlineData(Case.LongPollWithoutCursor)]
    public Task Malformed_read_answer_fails_typed_in_time_without_wrong_data(Case @case) => @case switch
    {
        Case.TruncatedJsonArray => Run(@case, LiveMode.Off, context =>
            Answer(context, JsonArray(0)[..^1] + ",{\"source\":0,\"seq\":1,\"pa", "o2", upToDate: true), Legit(0)),
        Case.WrongContentType => Run(@case, LiveMode.Off, context =>
            Answer(context, "<html><body>Please sign in</body></html>", "o1", upToDate: true, contentType: "text/html"), Legit()),
        Case.MissingNextOffset => Run(@case, LiveMode.Off, context =>
            Answer(context, JsonArray(0), next: null, upToDate: false), Legit(0)),
        Case.NonAdvancingOffset => Run(@case, LiveMode.Off, context => Query(context, "offset") == "o1"
            ? Answer(context, JsonArray(1), "o1", upToDate: false) // data, and the offset it was asked for
            : Answer(context, JsonArray(0), "o1", upToDate: false), Legit(0, 1)),
        Case.LongPollWithoutCursor => Run(@case, LiveMode.LongPoll, async context =>
        {
            if (Query(context, "live") != "long-poll") await Answer(context, JsonArray(0), "o1", upToDate: true, cursor: "c1");
            else if (Query(context, "offset") == "o1") await Answer(context, JsonArray(1), "o2", upToDate: true); // a live answer with no Stream-Cursor
            else await LongPollTimeout(context, "o2");
        }, Legit(0, 1)),
        _ => throw new ArgumentOutOfRangeException(nameof(@case)),
    };

    private static Task Run(Case @case, LiveMode live, RequestDelegate handler, IReadOnlyList<string> allowed) =>
        MalformedHarness.RunAsync($"Malformed.CatchUp.{@case}", handler,
            (client, sink, token) => ReadJsonAsync(client, live, sink, token), allowed);

    /// <summary>A well-formed long-poll timeout (204) after a short wait.</summary>
    private static async Task LongPollTimeout(HttpContext context, string offset)
    {
        await Task.Delay(200, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.Headers["Stream-Next-Offset"] = offset;
        context.Response.Headers["Stream-Cursor"] = "c9";
        context.Response.Headers["Stream-Up-To-Date"] = "true";
    }

    internal static async Task Answer(HttpContext context, string body, string? next, bool upToDate, string contentType = "application/json", string? cursor = null)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = contentType;
        if (next is not null) context.Response.Headers["Stream-Next-Offset"] = next;
        if (upToDate) context.Response.Headers["Stream-Up-To-Date"] = "true";
        if (cursor is not null) context.Response.Headers["Stream-Cursor"] = cursor;
        await WriteAsync(context, body);
    }
}
