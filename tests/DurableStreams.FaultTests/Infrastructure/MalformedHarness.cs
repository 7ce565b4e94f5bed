using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace DurableStreams.FaultTests.Infrastructure;

/// <summary>
/// Runs one malformed-input case: the fake answers with <c>handler</c>, the client reads with its caller deadline,
/// and the read must end in a <see cref="DurableStreamException"/> (or a subclass) before that deadline, having
/// delivered nothing but a prefix of what the fake sent correctly.
/// </summary>
public static class MalformedHarness
{
    /// <summary>What the caller allows the whole read.</summary>
    public static readonly TimeSpan CallerDeadline = TimeSpan.FromSeconds(10);

    /// <summary>Past this the test fails as a hang, whatever the client does.</summary>
    public static readonly TimeSpan HardLimit = TimeSpan.FromSeconds(15);

    /// <summary>More deliveries than this and the read is repeating or endless: stop and fail.</summary>
    private const int DeliveryCap = 5_000;

    public static DurableStreamClient CreateClient(FakeUpstream fake)
    {
        var options = new DurableStreamClientOptions
        {
            RequestTimeout = TimeSpan.FromSeconds(2), // the caller's per-attempt deadline; SSE keeps its default idle timeout
            MaxResponseBytes = 32L * 1024 * 1024,     // the caller's bound: the 256 MiB default takes 16 s at the fake's 16 MiB/s
        };
        options.Retry.InitialDelay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(100);
        return new DurableStreamClient(fake.StreamBase, options);
    }

    public static Msg Message(int seq) => new(0, seq, "m" + seq);

    public static string Json(int seq) => $"{{\"source\":0,\"seq\":{seq},\"pad\":\"m{seq}\"}}";

    public static string JsonArray(params int[] seqs) => "[" + string.Join(",", seqs.Select(Json)) + "]";

    /// <summary>A JSON read of stream "s": the items delivered go to <paramref name="sink"/> as "source/seq/pad".</summary>
    public static async Task ReadJsonAsync(DurableStreamClient client, LiveMode live, List<string> sink, CancellationToken cancellationToken)
    {
        var typed = new DurableStream<Msg>(client.GetStream("s", "application/json"), FaultJson.Default.Msg);
        await foreach (var e in typed.ReadEventsAsync(new ReadOptions { Live = live }, cancellationToken))
        {
            sink.Add($"{e.Data.Source}/{e.Data.Seq}/{e.Data.Pad}");
            if (sink.Count > DeliveryCap) throw new InvalidOperationException($"More than {DeliveryCap} items delivered: the read repeats or never ends.");
        }
    }

    public static IReadOnlyList<string> Legit(params int[] seqs) => seqs.Select(s => $"0/{s}/m{s}").ToList();

    public static Task RunAsync(
        string key,
        RequestDelegate handler,
        Func<DurableStreamClient, List<string>, CancellationToken, Task> read,
        IReadOnlyList<string> allowed) =>
        KnownFailures.RunAsync(key, () => HardDeadline.RunAsync(HardLimit, key, async _ =>
        {
            FaultSettings.Log($"[faults] malformed case '{key}' (deterministic; run seed {FaultSettings.Seed})");
            await using var fake = await FakeUpstream.StartAsync();
            fake.Handler = handler;
            using var client = CreateClient(fake);
            var sink = new List<string>();
            using var caller = new CancellationTokenSource(CallerDeadline);
            var clock = Stopwatch.StartNew();
            Exception? error = null;
            try
            {
                await read(client, sink, caller.Token);
            }
            catch (Exception e)
            {
                error = e;
            }

            FaultSettings.Log($"[faults] {key}: {sink.Count} delivered, {fake.Requests} requests, ended after {clock.ElapsedMilliseconds} ms with {error?.GetType().Name ?? "no error"}: {error?.Message}");
            var wrong = sink.Where((item, i) => i >= allowed.Count || allowed[i] != item).Take(5).ToList();
            Assert.True(wrong.Count == 0, $"Wrong data delivered: {string.Join(", ", wrong)} (allowed: a prefix of [{string.Join(", ", allowed)}])");
            Assert.True(error is not null, "The read ended normally: malformed input was accepted silently.");
            Assert.False(error is OperationCanceledException && caller.IsCancellationRequested,
                $"The read ran until the caller's deadline ({CallerDeadline.TotalSeconds} s) instead of failing: {error}");
            Assert.True(error is DurableStreamException, $"Expected a DurableStreamException, got {error}");
        }));

    /// <summary>Starts an SSE response.</summary>
    public static async Task StartSseAsync(HttpContext context, bool base64 = false)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        if (base64) context.Response.Headers["Stream-SSE-Data-Encoding"] = "base64";
        await context.Response.StartAsync(context.RequestAborted);
    }

    public static async Task WriteAsync(HttpContext context, string text)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>Holds the response open without sending anything, until the client goes away.</summary>
    public static Task StallAsync(HttpContext context) => Task.Delay(Timeout.Infinite, context.RequestAborted);

    /// <summary>Writes <paramref name="piece"/> again and again at a bounded rate, until the client goes away.</summary>
    public static async Task WriteForeverAsync(HttpContext context, Func<int, string> piece, int bytesPerSecond = 16 * 1024 * 1024)
    {
        var block = new StringBuilder();
        var written = 0L;
        var clock = Stopwatch.StartNew();
        for (var i = 0; !context.RequestAborted.IsCancellationRequested; i++)
        {
            block.Append(piece(i));
            if (block.Length < 16 * 1024) continue;
            var bytes = Encoding.UTF8.GetBytes(block.ToString());
            block.Clear();
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            written += bytes.Length;
            var due = TimeSpan.FromSeconds((double)written / bytesPerSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due, context.RequestAborted);
        }
    }

    public static string Query(HttpContext context, string name) => context.Request.Query[name].ToString();
}
