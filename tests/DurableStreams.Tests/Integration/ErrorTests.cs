using System.Net;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Integration;

/// <summary>
/// Typed exceptions for conditions the reference server really produces (pitfall §8): the right
/// type, <c>Code</c>, <c>Status</c> and <c>Url</c>, and 404 messages that name the path.
/// </summary>
public sealed class ErrorTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>
{
    [Fact]
    public async Task Missing_stream_is_not_found_for_head_read_append_and_delete()
    {
        using var client = fixture.CreateClient();
        var path = ReferenceServerFixture.NewPath("missing");
        var stream = client.GetStream(path, "text/plain");

        var errors = new List<StreamNotFoundException>
        {
            await Assert.ThrowsAsync<StreamNotFoundException>(() => stream.HeadAsync()),
            await Assert.ThrowsAsync<StreamNotFoundException>(() => stream.ReadAsync()),
            await Assert.ThrowsAsync<StreamNotFoundException>(() => stream.AppendAsync("x")),
            await Assert.ThrowsAsync<StreamNotFoundException>(() => stream.DeleteAsync()),
            await Assert.ThrowsAsync<StreamNotFoundException>(() => client.ConnectAsync(path)),
        };

        Assert.All(errors, e =>
        {
            Assert.Equal(HttpStatusCode.NotFound, e.Status);
            Assert.Equal(DurableStreamErrorCode.NotFound, e.Code);
            Assert.Equal(stream.Url, e.Url);
            Assert.Contains(stream.Url.AbsolutePath, e.Message);
        });
    }

    [Fact]
    public async Task Stream_seq_regression_is_a_sequence_conflict()
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("seq"), new CreateStreamOptions { ContentType = "text/plain" });
        await stream.AppendAsync("a", new AppendOptions { Seq = "0002" });

        var error = await Assert.ThrowsAsync<SequenceConflictException>(() => stream.AppendAsync("b", new AppendOptions { Seq = "0001" }));

        Assert.Equal("0001", error.Sequence);
        Assert.Equal(DurableStreamErrorCode.SequenceConflict, error.Code);
        Assert.Equal(HttpStatusCode.Conflict, error.Status);
        // The rejected append did not disturb the handle: a greater seq is accepted.
        await stream.AppendAsync("c", new AppendOptions { Seq = "0003" });
        await using var response = await stream.ReadAsync();
        Assert.Equal("ac", await response.ReadAllTextAsync());
    }

    [Fact]
    public async Task Appending_the_wrong_content_type_is_a_conflict()
    {
        using var client = fixture.CreateClient();
        var path = ReferenceServerFixture.NewPath("type");
        await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "text/plain" });
        var wrong = client.GetStream(path, "application/octet-stream"); // a handle that believes otherwise

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => wrong.AppendAsync("x"));

        Assert.Equal(DurableStreamErrorCode.Conflict, error.Code);
        Assert.Equal(HttpStatusCode.Conflict, error.Status);
    }

    [Fact]
    public async Task Malformed_read_offset_is_an_invalid_offset_error()
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("offset"));

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => stream.ReadAsync(new ReadOptions { Offset = "not-an-offset" }));

        Assert.Equal(DurableStreamErrorCode.InvalidOffset, error.Code);
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal("not-an-offset", error.Offset);
    }

    [Fact]
    public async Task A_deleted_source_with_forks_is_gone_and_its_path_is_blocked()
    {
        using var client = fixture.CreateClient();
        var path = ReferenceServerFixture.NewPath("soft-deleted");
        var source = await client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "text/plain" });
        await source.AppendAsync("kept");
        var fork = await source.ForkAsync(ReferenceServerFixture.NewPath("fork"));

        await source.DeleteAsync();

        var head = await Assert.ThrowsAsync<RetentionGoneException>(() => source.HeadAsync());
        Assert.Equal(HttpStatusCode.Gone, head.Status);
        Assert.Equal(DurableStreamErrorCode.Gone, head.Code);
        Assert.Equal(source.Url, head.Url);
        await Assert.ThrowsAsync<RetentionGoneException>(() => source.ReadAsync());
        var recreate = await Assert.ThrowsAnyAsync<DurableStreamException>(() => client.CreateStreamAsync(path, new CreateStreamOptions { ContentType = "text/plain" }));
        Assert.Equal(DurableStreamErrorCode.Conflict, recreate.Code);
        await using var response = await fork.ReadAsync();
        Assert.Equal("kept", await response.ReadAllTextAsync()); // the fork still reads the inherited data
    }

    [Fact]
    public async Task A_stream_response_can_be_consumed_only_once()
    {
        using var client = fixture.CreateClient();
        var stream = await client.CreateStreamAsync(ReferenceServerFixture.NewPath("consumed"), new CreateStreamOptions { ContentType = "application/json" });
        await stream.AppendAsync("1");

        await using var response = await stream.ReadAsync();
        Assert.Single(await response.ReadAllJsonAsync(TestJsonContext.Default.Int32));

        var error = Assert.Throws<StreamConsumedException>(() => response.ReadChunksAsync());
        Assert.Equal(DurableStreamErrorCode.StreamConsumed, error.Code);
        Assert.Equal(stream.Url, error.Url);
        await Assert.ThrowsAsync<StreamConsumedException>(() => response.ReadAllTextAsync());
        Assert.Throws<StreamConsumedException>(() => response.ReadJsonBatchesAsync(TestJsonContext.Default.Int32));
    }

    [Fact]
    public async Task Server_errors_that_outlast_the_retries_surface_with_their_status()
    {
        using var client = fixture.CreateClient(o => o.Retry.MaxRetries = 1);
        var path = ReferenceServerFixture.NewPath("flaky");
        var stream = await client.CreateStreamAsync(path);
        await fixture.InjectAsync(new Fault(fixture.ServerPath(path)) { Status = 503, Count = 2, RetryAfter = 0, Method = "HEAD" });

        var error = await Assert.ThrowsAnyAsync<DurableStreamException>(() => stream.HeadAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.Equal(DurableStreamErrorCode.ServerError, error.Code);
        Assert.Equal(stream.Url, error.Url);
        Assert.NotNull(await stream.HeadAsync()); // the two injected failures are used up
    }
}
