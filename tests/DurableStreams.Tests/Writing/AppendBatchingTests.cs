using System.Text;
using System.Text.Json;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Writing;

/// <summary>
/// Automatic batching of plain appends (pitfalls W1, W2, J3): one POST in flight per handle,
/// appends made meanwhile become the next POST in call order, and each caller learns the outcome
/// of the POST that carried its data.
/// </summary>
public sealed class AppendBatchingTests
{
    private static FakeClient Create(GatedPosts server, Action<DurableStreamClientOptions>? configure = null) => new(server.Handler, configure);

    [Fact]
    public async Task Appends_queued_behind_a_post_in_flight_are_sent_together_in_call_order()
    {
        var server = new GatedPosts();
        server.Hold(1);
        using var fake = Create(server);
        var stream = fake.Client.GetStream("s", "text/plain");

        var first = stream.AppendAsync("<0>");
        await server.WaitForPostsAsync(1);
        var queued = Enumerable.Range(1, 20).Select(i => stream.AppendAsync($"<{i}>")).ToList();
        Assert.DoesNotContain(queued, t => t.IsCompleted); // nothing else goes out while POST 1 is held
        server.Release(1);
        var results = await Task.WhenAll(queued).WaitAsync(TestTimeouts.Hang);

        Assert.Equal("off-1", (await first).Offset);
        Assert.All(results, r => Assert.Equal("off-2", r.Offset)); // the tail after the POST that carried each item
        var posts = server.Posts;
        Assert.Equal(2, posts.Count);
        Assert.Equal("<0>", posts[0].BodyText);
        Assert.Equal(string.Concat(Enumerable.Range(1, 20).Select(i => $"<{i}>")), posts[1].BodyText);
    }

    [Fact]
    public async Task Appends_from_many_threads_are_each_sent_exactly_once()
    {
        var server = new GatedPosts();
        server.Hold(1);
        using var fake = Create(server);
        var stream = fake.Client.GetStream("s", "text/plain");

        var first = stream.AppendAsync("[first]");
        await server.WaitForPostsAsync(1);
        // StartNew (not Run) keeps the outer task: it completes once AppendAsync has queued the item.
        var starts = Enumerable.Range(0, 64)
            .Select(i => Task.Factory.StartNew(() => stream.AppendAsync($"[{i}]"), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default))
            .ToList();
        var appends = await Task.WhenAll(starts).WaitAsync(TestTimeouts.Hang);
        server.Release(1);
        await Task.WhenAll(appends).WaitAsync(TestTimeouts.Hang);
        await first;

        var sent = string.Concat(server.Posts.Skip(1).Select(p => p.BodyText));
        for (var i = 0; i < 64; i++)
            Assert.Equal(1, CountOf(sent, $"[{i}]"));
        Assert.Equal(2, server.Posts.Count);
    }

    [Fact]
    public async Task A_failing_batch_fails_exactly_its_callers_with_the_exception()
    {
        var server = new GatedPosts { Outcome = (_, n) => n == 2 ? Respond.Status(System.Net.HttpStatusCode.BadRequest, "bad batch") : Respond.Appended($"off-{n}") };
        server.Hold(1);
        using var fake = Create(server);
        var stream = fake.Client.GetStream("s", "text/plain");

        var first = stream.AppendAsync("a");
        await server.WaitForPostsAsync(1);
        var second = stream.AppendAsync("b");
        var third = stream.AppendAsync("c");
        server.Release(1);

        Assert.Equal("off-1", (await first.WaitAsync(TestTimeouts.Hang)).Offset);
        var e2 = await Assert.ThrowsAnyAsync<DurableStreamException>(() => second.WaitAsync(TestTimeouts.Hang));
        var e3 = await Assert.ThrowsAnyAsync<DurableStreamException>(() => third.WaitAsync(TestTimeouts.Hang));
        Assert.Same(e2, e3);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e2.Status);
        Assert.Contains("bad batch", e2.Message);

        // The handle is still usable: later appends are not poisoned by the failure.
        var later = await stream.AppendAsync("d").WaitAsync(TestTimeouts.Hang);
        Assert.Equal("off-3", later.Offset);
        Assert.Equal(["a", "bc", "d"], server.Posts.Select(p => p.BodyText));
    }

    [Fact]
    public async Task An_append_with_its_own_Stream_Seq_is_sent_alone()
    {
        var server = new GatedPosts();
        server.Hold(1);
        using var fake = Create(server);
        var stream = fake.Client.GetStream("s", "text/plain");

        var tasks = new List<Task<AppendResult>> { stream.AppendAsync("a") };
        await server.WaitForPostsAsync(1);
        tasks.Add(stream.AppendAsync("b"));
        tasks.Add(stream.AppendAsync("c", new AppendOptions { Seq = "0001" }));
        tasks.Add(stream.AppendAsync("d"));
        tasks.Add(stream.AppendAsync("e"));
        server.Release(1);
        await Task.WhenAll(tasks).WaitAsync(TestTimeouts.Hang);

        var posts = server.Posts;
        Assert.Equal(["a", "b", "c", "de"], posts.Select(p => p.BodyText));
        Assert.Equal([null, null, "0001", null], posts.Select(p => p.Header("Stream-Seq")));
    }

    [Fact]
    public async Task Cancelling_before_the_send_removes_the_item()
    {
        var server = new GatedPosts();
        server.Hold(1);
        using var fake = Create(server);
        var stream = fake.Client.GetStream("s", "text/plain");
        using var cts = new CancellationTokenSource();

        var first = stream.AppendAsync("a");
        await server.WaitForPostsAsync(1);
        var cancelled = stream.AppendAsync("never-sent", cancellationToken: cts.Token);
        var kept = stream.AppendAsync("b");
        cts.Cancel();
        server.Release(1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TestTimeouts.Hang));
        await Task.WhenAll(first, kept).WaitAsync(TestTimeouts.Hang);
        Assert.Equal(["a", "b"], server.Posts.Select(p => p.BodyText));
    }

    [Fact]
    public async Task Json_appends_are_wrapped_in_one_array_per_post()
    {
        var server = new GatedPosts();
        server.Hold(1);
        using var fake = Create(server);
        var stream = fake.Client.GetStream("j", "application/json");

        var first = stream.AppendJsonAsync(new Numbered(1), TestJsonContext.Default.Numbered);
        await server.WaitForPostsAsync(1);
        var rest = new[]
        {
            stream.AppendJsonAsync(new Numbered(2), TestJsonContext.Default.Numbered),
            stream.AppendJsonAsync(new Numbered(3), TestJsonContext.Default.Numbered),
            stream.AppendAsync("[4,5]"), // an array value is one message: it must stay nested
            stream.AppendAsync("\"text\""),
        };
        server.Release(1);
        await Task.WhenAll(rest.Append(first)).WaitAsync(TestTimeouts.Hang);

        var posts = server.Posts;
        Assert.Equal("[{\"n\":1}]", posts[0].BodyText);
        Assert.Equal("[{\"n\":2},{\"n\":3},[4,5],\"text\"]", posts[1].BodyText);
        using var document = JsonDocument.Parse(posts[1].Body);
        Assert.Equal(4, document.RootElement.GetArrayLength());
        Assert.All(posts, p => Assert.StartsWith("application/json", p.ContentType));
    }

    [Fact]
    public async Task Invalid_json_is_rejected_before_it_can_fail_a_shared_post()
    {
        var server = new GatedPosts();
        using var fake = Create(server);
        var stream = fake.Client.GetStream("j", "application/json");

        await Assert.ThrowsAsync<ArgumentException>(() => stream.AppendAsync("{\"unterminated\":"));
        await Assert.ThrowsAsync<ArgumentException>(() => stream.AppendAsync("1 2"));
        await Assert.ThrowsAsync<ArgumentException>(() => stream.AppendAsync(""));
        Assert.Null(await stream.AppendJsonManyAsync(Array.Empty<Numbered>(), TestJsonContext.Default.Numbered)); // never POST []

        Assert.Empty(server.Posts);
    }

    [Fact]
    public async Task Batches_never_exceed_MaxAppendBatchBytes()
    {
        var server = new GatedPosts();
        server.Hold(1);
        using var fake = Create(server, o => o.MaxAppendBatchBytes = 10);
        var stream = fake.Client.GetStream("s", "text/plain");

        var tasks = new List<Task<AppendResult>> { stream.AppendAsync("0") };
        await server.WaitForPostsAsync(1);
        var items = Enumerable.Range(1, 6).Select(i => new string((char)('0' + i), 4)).ToList();
        tasks.AddRange(items.Select(i => stream.AppendAsync(i)));
        server.Release(1);
        await Task.WhenAll(tasks).WaitAsync(TestTimeouts.Hang);

        var bodies = server.Posts.Skip(1).Select(p => p.BodyText).ToList();
        Assert.All(bodies, b => Assert.InRange(Encoding.UTF8.GetByteCount(b), 1, 10));
        Assert.Equal(string.Concat(items), string.Concat(bodies)); // split, but in order and complete
        Assert.True(bodies.Count < items.Count, "items small enough to share a POST should still be merged");
    }

    [Fact]
    public async Task Without_batching_each_append_is_its_own_post_and_none_waits_for_another()
    {
        var server = new GatedPosts();
        server.Hold(1);
        using var fake = Create(server, o => o.BatchAppends = false);
        var stream = fake.Client.GetStream("s", "text/plain");

        var a = stream.AppendAsync("a");
        await server.WaitForPostsAsync(1);
        var b = stream.AppendAsync("b");
        var c = stream.AppendAsync("c");
        await server.WaitForPostsAsync(3); // sent while POST 1 is still held
        server.Release(1);
        await Task.WhenAll(a, b, c).WaitAsync(TestTimeouts.Hang);

        Assert.Equal(["a", "b", "c"], server.Posts.Select(p => p.BodyText).Order());
        Assert.All(server.Posts, p => Assert.Null(p.Header("Producer-Id")));
    }

    [Fact]
    public async Task Close_is_sent_after_the_appends_queued_before_it()
    {
        var server = new GatedPosts();
        server.Hold(1);
        using var fake = Create(server);
        var stream = fake.Client.GetStream("s", "text/plain");

        var a = stream.AppendAsync("a");
        await server.WaitForPostsAsync(1);
        var b = stream.AppendAsync("b");
        var close = stream.CloseAsync();
        var flushed = stream.FlushAsync();
        Assert.False(flushed.IsCompleted); // POST 1 is still unanswered
        server.Release(1);
        await Task.WhenAll(a, b, close, flushed).WaitAsync(TestTimeouts.Hang);

        var posts = server.Posts;
        Assert.Equal(["a", "b", ""], posts.Select(p => p.BodyText));
        Assert.Equal([null, null, "true"], posts.Select(p => p.Header("Stream-Closed")));
        Assert.Equal("off-3", (await close).FinalOffset);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AppendJsonMany_sends_its_values_in_one_post_in_order(bool batchAppends)
    {
        // Documented as one POST: the values land together and in order. Serializing the second
        // value waits (briefly) for a POST to appear, so a first value that leaves on its own while
        // the rest are still being prepared is caught every time instead of by chance.
        var server = new GatedPosts();
        using var fake = Create(server, o => o.BatchAppends = batchAppends);
        var stream = fake.Client.GetStream("j", "application/json");
        var typeInfo = SlowSerialization.TypeInfo(n =>
        {
            if (n == 2) SpinWait.SpinUntil(() => server.Posts.Count > 0, TimeSpan.FromMilliseconds(500));
        });

        // On a thread of its own: the hook blocks, and must not hold a pool thread the sender needs.
        var append = Task.Factory.StartNew(() => stream.AppendJsonManyAsync([1, 2, 3], typeInfo),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        await append.WaitAsync(TestTimeouts.Hang);

        var post = Assert.Single(server.Posts);
        Assert.Equal("[1,2,3]", post.BodyText);
    }

    [Fact]
    public async Task Lone_and_batched_posts_keep_call_order_and_consecutive_producer_sequence_numbers()
    {
        // A lone append goes out from its caller's thread; the ones made while it is in flight queue
        // behind it and share the next POST. Each POST takes the next Producer-Seq, none is skipped or reused.
        var server = new GatedPosts();
        server.Hold(1);
        server.Hold(3);
        using var fake = Create(server);
        var stream = fake.Client.GetStream("s", "text/plain");

        var lone = stream.AppendAsync("a");
        await server.WaitForPostsAsync(1);
        var flushed = stream.FlushAsync();
        var queued = new[] { stream.AppendAsync("b"), stream.AppendAsync("c") };
        Assert.False(flushed.IsCompleted); // the lone POST is still in flight
        server.Release(1);
        await Task.WhenAll(queued.Append(lone).Append(flushed)).WaitAsync(TestTimeouts.Hang);

        var third = stream.AppendAsync("d"); // idle again: alone
        await server.WaitForPostsAsync(3);
        var fourth = stream.AppendAsync("e");
        server.Release(3);
        await Task.WhenAll(third, fourth).WaitAsync(TestTimeouts.Hang);

        var posts = server.Posts;
        Assert.Equal(["a", "bc", "d", "e"], posts.Select(p => p.BodyText));
        Assert.Equal(["0", "1", "2", "3"], posts.Select(p => p.Header("Producer-Seq")));
        Assert.Single(posts.Select(p => p.Header("Producer-Id")).Distinct());
        Assert.Equal(["off-1", "off-2", "off-2", "off-3", "off-4"], new[] { lone, queued[0], queued[1], third, fourth }.Select(t => t.Result.Offset?.Value));
    }

    [Fact]
    public async Task A_lone_append_that_fails_fails_its_caller_and_the_next_append_goes_out()
    {
        var server = new GatedPosts { Outcome = (_, n) => n == 1 ? Respond.Status(System.Net.HttpStatusCode.BadRequest, "bad") : Respond.Appended($"off-{n}") };
        using var fake = Create(server);
        var stream = fake.Client.GetStream("s", "text/plain");

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => stream.AppendAsync("a").WaitAsync(TestTimeouts.Hang));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.Status);
        Assert.Equal("off-2", (await stream.AppendAsync("b").WaitAsync(TestTimeouts.Hang)).Offset?.Value);
        await stream.FlushAsync().WaitAsync(TestTimeouts.Hang);
        Assert.Equal(["a", "b"], server.Posts.Select(p => p.BodyText));
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
            count++;
        return count;
    }
}
