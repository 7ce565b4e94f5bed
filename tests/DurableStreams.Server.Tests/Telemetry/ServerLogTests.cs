using System.Diagnostics;
using System.Net;
using System.Text;
using DurableStreams.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Server.Tests.Telemetry;

/// <summary>Failures are logged with their exception and show on the span; credentials and query strings never reach a log.</summary>
public sealed class ServerLogTests
{
    private const string Secret = "s3cr3t-credential";

    /// <summary>The memory store, except that appends fail as a full disk would.</summary>
    private sealed class FailingStore(TimeProvider clock) : MemoryStreamStore(clock)
    {
        protected override void Commit(JournalRecord record)
        {
            if (record.Op == JournalRecord.AppendOp) throw new IOException("No space left on device");
            base.Commit(record);
        }
    }

    private static IEnumerable<LogCollector.Entry> ServerEntries(LogCollector logs) =>
        logs.Entries.Where(e => e.Category.StartsWith("DurableStreams.Server", StringComparison.Ordinal));

    [Fact]
    public async Task A_store_failure_is_logged_with_its_exception_and_marks_the_span()
    {
        using var spans = new SpanCollector();
        var logs = new LogCollector();
        await using var app = await TestApp.StartAsync(
            builder =>
            {
                builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
                builder.Services.AddDurableStreamsServer();
                builder.Services.AddSingleton<IStreamStore>(new FailingStore(TimeProvider.System));
            },
            a => { a.UseCors(); a.MapDurableStreams(); });
        using var http = app.CreateHttpClient();
        var ct = TestContext.Current.CancellationToken;
        var path = $"/v1/stream/failing-{Guid.NewGuid():N}";
        await http.PutAsync(path, new StringContent("", Encoding.UTF8, "text/plain"), ct);

        var append = new HttpRequestMessage(HttpMethod.Post, path + "?token=" + Secret) { Content = new StringContent("x", Encoding.UTF8, "text/plain") };
        append.Headers.Authorization = new("Bearer", Secret);
        var response = await http.SendAsync(append, ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var failed = Assert.Single(ServerEntries(logs), e => e.EventId.Id == 5);
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.IsType<IOException>(failed.Exception);
        Assert.Equal($"Unexpected failure serving POST {path}", failed.Message);

        var span = (await spans.WaitForAsync(path, 2))[1];
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("System.IO.IOException", span.GetTagItem("error.type"));
        Assert.Contains(span.Events, e => e.Name == "exception");
        Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains(Secret, StringComparison.Ordinal) == true);
        // The server's own categories (ASP.NET Core's hosting log of "Request starting" does show the query).
        Assert.DoesNotContain(ServerEntries(logs), e => e.Message.Contains(Secret, StringComparison.Ordinal) || e.Message.Contains('?'));
    }

    [Fact]
    public async Task Rejections_log_the_path_but_never_the_query_or_credentials()
    {
        var logs = new LogCollector();
        await using var app = await TestApp.StartAsync(
            builder =>
            {
                builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
                builder.Services.AddDurableStreamsServer();
            },
            a => { a.UseCors(); a.MapDurableStreams(); });
        using var http = app.CreateHttpClient();
        var ct = TestContext.Current.CancellationToken;
        var path = $"/v1/stream/rejected-{Guid.NewGuid():N}";
        await http.PutAsync(path, new StringContent("", Encoding.UTF8, "text/plain"), ct);

        var read = new HttpRequestMessage(HttpMethod.Get, $"{path}?offset=not-an-offset&access_token={Secret}");
        read.Headers.Authorization = new("Bearer", Secret);
        var response = await http.SendAsync(read, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var rejected = Assert.Single(ServerEntries(logs), e => e.EventId.Id == 4);
        Assert.Equal($"Rejected GET {path}: 400 Invalid offset format", rejected.Message);
        Assert.DoesNotContain(ServerEntries(logs), e => e.Message.Contains(Secret, StringComparison.Ordinal) || e.Message.Contains('?'));
    }
}
