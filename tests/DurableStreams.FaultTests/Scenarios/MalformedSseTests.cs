using DurableStreams.FaultTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using static DurableStreams.FaultTests.Infrastructure.MalformedHarness;

namespace DurableStreams.FaultTests.Scenarios;

/// <summary>(e) Malformed SSE from a misbehaving server: a typed exception within the caller's deadline, no wrong data.</summary>
public sealed class MalformedSseTests
{
    public enum Case { SseWithoutBlankLines, ControlNotJson, ControlWithoutOffset, InvalidBase64, DataWithoutControl }

    private const string ValidControl = "{\"streamNextOffset\":\"o1\",\"streamCursor\":\"c1\",\"upToDate\":true}";

    [Theory]
    [InlineData(Case.SseWithoutBlankLines)]
    [InlineData(Case.ControlNotJson)]
    [InlineData(Case.ControlWithoutOffset)]
    [InlineData(Case.InvalidBase64)]
    [InlineData(Case.DataWithoutControl)]
    public Task Malformed_sse_fails_typed_in_time_without_wrong_data(Case @case) => @case switch
    {
        Case.SseWithoutBlankLines => Sse(@case, async context =>
        {
            await StartSseAsync(context);
            await WriteForeverAsync(context, _ => $"event: data\ndata: {JsonArray(0)}\n"); // never a blank line: nothing ends an event
        }, Legit()),
        Case.ControlNotJson => Sse(@case, async context =>
        {
            await StartSseAsync(context);
            await WriteAsync(context, $"event: data\ndata: {JsonArray(0)}\n\nevent: control\ndata: {{\"streamNextOffset\": o1, garbage\n\n");
            await StallAsync(context);
        }, Legit(0)),
        Case.ControlWithoutOffset => Sse(@case, async context =>
        {
            await StartSseAsync(context);
            await WriteAsync(context, $"event: data\ndata: {JsonArray(0)}\n\nevent: control\ndata: {{\"streamCursor\":\"c1\",\"upToDate\":true}}\n\n");
            await StallAsync(context);
        }, Legit(0)),
        Case.InvalidBase64 => MalformedHarness.RunAsync(Key(@case), Catchup(async context =>
        {
            await StartSseAsync(context, base64: true);
            await WriteAsync(context, $"event: data\ndata: %%not*base64!!\n\nevent: control\ndata: {ValidControl}\n\n");
            await StallAsync(context);
        }, "application/octet-stream"), ReadBinarySseAsync, []),
        Case.DataWithoutControl => Sse(@case, async context =>
        {
            await StartSseAsync(context);
            await WriteForeverAsync(context, i => $"event: data\ndata: {JsonArray(i)}\n\n"); // data events, never a control event
        }, Legit([.. Enumerable.Range(0, 6000)])),
        _ => throw new ArgumentOutOfRangeException(nameof(@case)),
    };

    private static string Key(Case @case) => $"Malformed.Sse.{@case}";

    private static Task Sse(Case @case, RequestDelegate sse, IReadOnlyList<string> allowed) =>
        MalformedHarness.RunAsync(Key(@case), Catchup(sse, "application/json"),
            (client, sink, token) => ReadJsonAsync(client, LiveMode.Sse, sink, token), allowed);

    /// <summary>An initial catch-up (if the client makes one) finds the stream empty and up to date; SSE requests get <paramref name="sse"/>.</summary>
    private static RequestDelegate Catchup(RequestDelegate sse, string contentType) => async context =>
    {
        if (Query(context, "live") == "sse")
        {
            await sse(context);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = contentType;
        context.Response.Headers["Stream-Next-Offset"] = "o0";
        context.Response.Headers["Stream-Up-To-Date"] = "true";
        if (contentType == "application/json") await WriteAsync(context, "[]");
    };

    private static async Task ReadBinarySseAsync(DurableStreamClient client, List<string> sink, CancellationToken cancellationToken)
    {
        await using var response = await client.GetStream("b", "application/octet-stream").ReadAsync(new ReadOptions { Live = LiveMode.Sse }, cancellationToken);
        await foreach (var chunk in response.ReadBytesAsync(cancellationToken))
            if (chunk.Length > 0) sink.Add(Convert.ToHexString(chunk.Span));
    }
}
