using System.Globalization;
using System.Net;
using System.Text;
using DurableStreams.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using static DurableStreams.Tests.Support.SseScript;

namespace DurableStreams.Tests.Logging;

/// <summary>
/// Failures are logged once, with the exception object the caller gets (not only its message), and
/// every retry is one line with its reason and delay. Fake servers: they produce exact failure sequences.
/// </summary>
public sealed class FailureLogTests
{
    private static FakeClient Client(FakeHttpHandler handler, FakeLogs logs, int maxRetries = 2) =>
        new(handler, o =>
        {
            o.LoggerFactory = logs;
            o.Retry.MaxRetries = maxRetries;
        });

    private static double DelayMs(FakeLogRecord record) =>
        double.Parse(record.Field("DelayMs")!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_request_that_fails_for_good_logs_each_retry_and_then_the_exception_once()
    {
        using var logs = new FakeLogs();
        using var fake = Client(new FakeHttpHandler(_ => Respond.Status(HttpStatusCode.InternalServerError, "disk on fire")), logs);

        var error = await Assert.ThrowsAsync<DurableStreamException>(() => fake.Client.GetStream("s").HeadAsync());

        var retries = logs.Of(2);
        Assert.Equal(2, retries.Count);
        Assert.All(retries, r =>
        {
            Assert.Equal("Retrying", r.Id.Name);
            Assert.Equal(LogLevel.Information, r.Level);
            Assert.Equal("ServerError", r.Field("ErrorCode"));
            Assert.Contains("HTTP 500", r.Field("Reason"));
            Assert.Contains("disk on fire", r.Field("Reason"));
            Assert.True(DelayMs(r) > 0, r.Message);
            Assert.Contains(" ms ", r.Message);
        });
        Assert.Equal(["1", "2"], retries.Select(r => r.Field("Attempt")));
        Assert.Null(retries[0].Exception); // a retry is not a failure: reason and delay, no stack trace

        var failed = logs.Single(3);
        Assert.Equal("RequestFailed", failed.Id.Name);
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Same(error, failed.Exception);
        Assert.Equal("/v1/stream/s", failed.Field("Url"));
    }

    [Fact]
    public async Task A_missing_stream_is_an_answer_logged_at_information()
    {
        using var logs = new FakeLogs();
        using var fake = Client(new FakeHttpHandler(_ => Respond.Status(HttpStatusCode.NotFound)), logs);

        var error = await Assert.ThrowsAsync<StreamNotFoundException>(() => fake.Client.GetStream("s").HeadAsync());

        var failed = logs.Single(3);
        Assert.Equal(LogLevel.Information, failed.Level);
        Assert.Same(error, failed.Exception);
        Assert.Empty(logs.Of(2)); // a 404 is not retried

        var read = await Assert.ThrowsAsync<StreamNotFoundException>(() => fake.Client.GetStream("s").ReadAsync());
        var stopped = logs.Single(104);
        Assert.Equal(LogLevel.Information, stopped.Level);
        Assert.Same(read, stopped.Exception);
    }

    [Fact]
    public async Task A_network_failure_logs_the_exception_with_its_inner_cause()
    {
        using var logs = new FakeLogs();
        using var fake = Client(new FakeHttpHandler(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused (test)")), logs);

        var error = await Assert.ThrowsAsync<DurableStreamNetworkException>(() => fake.Client.GetStream("s").HeadAsync());

        Assert.All(logs.Of(2), r => Assert.Equal("Network", r.Field("ErrorCode")));
        var failed = logs.Single(3);
        Assert.Same(error, failed.Exception);
        Assert.IsType<HttpRequestException>(failed.Exception!.InnerException);
    }

    [Fact]
    public async Task A_read_that_stops_logs_the_request_and_the_read_with_the_exception()
    {
        using var logs = new FakeLogs();
        using var fake = Client(new FakeHttpHandler(_ => Respond.Status(HttpStatusCode.BadGateway)), logs, maxRetries: 1);

        var error = await Assert.ThrowsAsync<DurableStreamException>(() => fake.Client.GetStream("s").ReadAsync());

        Assert.Same(error, logs.Single(3).Exception);
        var read = logs.Single(104);
        Assert.Equal("ReadFailed", read.Id.Name);
        Assert.Equal(LogLevel.Warning, read.Level);
        Assert.Same(error, read.Exception);
        Assert.Equal("-1", read.Field("Offset"));
        Assert.Equal("ServerError", read.Field("ErrorType"));
    }

    [Fact]
    public async Task A_body_that_breaks_off_is_fetched_again_with_one_line_per_retry()
    {
        using var logs = new FakeLogs();
        var served = 0;
        using var fake = Client(new FakeHttpHandler(_ => served++ == 0
            ? Respond.Read(new StreamContent(new CutStream(Encoding.UTF8.GetBytes("[1,2"))), "application/json", "1_9")
            : Respond.Read("[1,2,3]", "application/json", "1_9")), logs);

        await using var response = await fake.Client.GetStream("s").ReadAsync();
        var bytes = await response.ReadAllBytesAsync().WaitAsync(TestTimeouts.Hang);

        Assert.Equal("[1,2,3]", Encoding.UTF8.GetString(bytes));
        var retry = logs.Single(9);
        Assert.Equal("ReadBodyRetrying", retry.Id.Name);
        Assert.Contains("response body", retry.Field("Reason"));
        Assert.Equal("1", retry.Field("Attempt"));
        Assert.True(DelayMs(retry) > 0, retry.Message);
        Assert.Empty(logs.Of(104));
    }

    [Fact]
    public async Task A_lost_sse_connection_is_one_line_with_reason_and_delay()
    {
        using var logs = new FakeLogs();
        var sse = 0;
        using var fake = Client(new FakeHttpHandler(request =>
        {
            if (request.IsCatchUp) return Respond.Read("", "text/plain", "0");
            if (!request.IsSse) return Respond.Unexpected(request);
            return sse++ == 0
                ? Respond.Sse(new StreamContent(new CutStream(Encoding.UTF8.GetBytes(Data("a") + Control("1", cursor: "c")))))
                : Respond.Sse(Data("b") + Control("2", closed: true));
        }), logs);

        await using var response = await fake.Client.GetStream("s").ReadAsync(new ReadOptions { Live = LiveMode.Sse });
        Assert.Equal("ab", await response.ReadAllTextAsync().WaitAsync(TestTimeouts.Hang));

        var lost = logs.Single(8);
        Assert.Equal("SseConnectionLost", lost.Id.Name);
        Assert.Equal("1", lost.Field("Offset"));
        Assert.Contains("connection reset", lost.Field("Reason"));
        Assert.True(DelayMs(lost) > 0, lost.Message); // it ended at once, so the reconnect backs off
    }

    [Fact]
    public async Task A_message_that_cannot_be_decoded_ends_the_read_with_its_exception_logged_once()
    {
        using var logs = new FakeLogs();
        using var fake = Client(new FakeHttpHandler(_ => Respond.Read("[1,{", "application/json", "1_4")), logs);

        await using var response = await fake.Client.GetStream("s").ReadAsync();
        var error = await Assert.ThrowsAsync<DurableStreamParseException>(async () =>
        {
            await foreach (var _ in response.ReadJsonAsync(TestJsonContext.Default.Int32).WithHangGuard()) { }
        });

        var stopped = logs.Single(104);
        Assert.Same(error, stopped.Exception);
        Assert.Equal("Parse", stopped.Field("ErrorType"));
        Assert.Equal(LogLevel.Warning, stopped.Level);
    }

    [Fact]
    public async Task A_protocol_violation_is_logged_with_its_exception_and_not_twice()
    {
        using var logs = new FakeLogs();
        using var fake = Client(new FakeHttpHandler(_ => Respond.Status(HttpStatusCode.OK, "data")), logs);

        var error = await Assert.ThrowsAsync<DurableStreamProtocolException>(() => fake.Client.GetStream("s").ReadAsync());

        Assert.Same(error, logs.Single(103).Exception);
        Assert.Empty(logs.Of(104));
    }

    [Fact]
    public async Task A_failed_batched_append_logs_the_exception_each_caller_gets()
    {
        using var logs = new FakeLogs();
        using var fake = Client(new FakeHttpHandler(request => request.Method == HttpMethod.Head
            ? Respond.Read("", "text/plain", "0")
            : Respond.Status(HttpStatusCode.BadRequest, "no")), logs);
        var stream = fake.Client.GetStream("s", "text/plain");

        var error = await Assert.ThrowsAsync<DurableStreamException>(() => stream.AppendAsync("x"));

        Assert.Same(error, logs.Single(3).Exception);
        var batch = logs.Single(10);
        Assert.Equal("AppendBatchFailed", batch.Id.Name);
        Assert.Equal(LogLevel.Debug, batch.Level); // the request's own line (3) is the warning
        Assert.Same(error, batch.Exception);
        Assert.Equal("1", batch.Field("Count"));
    }

    [Fact]
    public async Task A_producer_that_stops_logs_the_exception_the_flush_throws()
    {
        using var logs = new FakeLogs();
        using var fake = Client(new FakeHttpHandler(request => request.Method == HttpMethod.Head
            ? Respond.Read("", "text/plain", "0")
            : Respond.Status(HttpStatusCode.BadRequest, "bad batch")), logs);
        await using var producer = fake.Client.GetStream("s", "text/plain").CreateProducer(new IdempotentProducerOptions { ProducerId = "p1" });

        await producer.AppendAsync("x");
        var error = await Assert.ThrowsAsync<DurableStreamException>(() => producer.FlushAsync());

        var stopped = logs.Single(44);
        Assert.Equal("ProducerFailed", stopped.Id.Name);
        Assert.Equal(LogLevel.Error, stopped.Level);
        Assert.Same(error, stopped.Exception);
        Assert.Equal("p1", stopped.Field("ProducerId"));
        // The request's own line steps down: the producer reports the failure.
        Assert.Equal(LogLevel.Debug, logs.Single(3).Level);
    }

    [Fact]
    public async Task A_producer_outage_logs_waiting_and_giving_up_with_the_exception()
    {
        using var logs = new FakeLogs();
        using var fake = Client(new FakeHttpHandler(request => request.Method == HttpMethod.Head
            ? Respond.Read("", "text/plain", "0")
            : Respond.Status(HttpStatusCode.ServiceUnavailable, "restarting")), logs, maxRetries: 0);
        await using var producer = fake.Client.GetStream("s", "text/plain").CreateProducer(new IdempotentProducerOptions
        {
            ProducerId = "p1",
            OutageRetryTimeout = TimeSpan.FromMilliseconds(200),
        });

        await producer.AppendAsync("x");
        var error = await Assert.ThrowsAsync<DurableStreamException>(() => producer.FlushAsync().WaitAsync(TestTimeouts.Hang));

        var waiting = logs.Single(41);
        Assert.Equal(LogLevel.Warning, waiting.Level);
        Assert.IsType<DurableStreamException>(waiting.Exception, exactMatch: false);
        Assert.True(DelayMs(waiting) > 0, waiting.Message);
        var gaveUp = logs.Single(43);
        Assert.Same(error, gaveUp.Exception);
        Assert.Same(error, logs.Single(44).Exception);
    }
}
