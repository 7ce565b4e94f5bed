using System.Text.Json.Nodes;
using DurableStreams.Conformance.Expectations;

namespace DurableStreams.Conformance.RunnerTests;

public sealed class ExpectationMatcherTests
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static string? Mismatch(string expect, string result) =>
        ExpectationMatcher.Check(Json(expect), Json(result))?.ToString();

    private const string Read = """{"type":"read","success":true,"status":200,"chunks":[{"data":"ab"},{"data":"c"}],"offset":"1","upToDate":true,"streamClosed":false}""";
    private const string NotFound = """{"type":"error","success":false,"errorCode":"NOT_FOUND","message":"Stream not found: /Missing-Path","status":404}""";

    [Fact]
    public void A_matching_read_passes_every_read_key()
    {
        Assert.Null(Mismatch("""{"status":200,"data":"abc","dataContains":"bc","dataContainsAll":["a","c"],"upToDate":true,"streamClosed":false,"minChunks":2,"chunkCount":2,"dataExact":["ab","c"],"maxChunks":1,"allSucceed":true}""", Read));
    }

    [Theory]
    [InlineData("""{"data":"ab"}""", "expect.data mismatched")]
    [InlineData("""{"dataContains":"x"}""", "expect.dataContains mismatched")]
    [InlineData("""{"dataContainsAll":["a","zz"]}""", "is missing \"zz\"")]
    [InlineData("""{"upToDate":false}""", "expect.upToDate mismatched")]
    [InlineData("""{"chunkCount":0}""", "expected 0 chunks, got 2")]
    [InlineData("""{"minChunks":3}""", "at least 3 chunks")]
    [InlineData("""{"status":"200"}""", "expect.status mismatched")]
    [InlineData("""{"dataExact":["a","bc"]}""", "chunk 0")]
    public void Each_read_key_can_fail(string expect, string expected)
    {
        Assert.Contains(expected, Mismatch(expect, Read), StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_are_checked_in_table_order_and_the_first_failure_wins()
    {
        Assert.StartsWith("expect.status", Mismatch("""{"data":"nope","status":201}""", Read), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_keys_are_skipped_on_error_results_and_status_only_when_present()
    {
        Assert.Null(Mismatch("""{"data":"abc","chunkCount":0,"upToDate":true}""", NotFound));
        Assert.Null(Mismatch("""{"status":200}""", """{"type":"close","success":true,"finalOffset":"5"}"""));
        Assert.NotNull(Mismatch("""{"status":200}""", """{"type":"close","success":true,"status":null}"""));
    }

    [Fact]
    public void Absent_fields_never_equal_false_zero_or_empty()
    {
        Assert.Contains("has no 'streamClosed'", Mismatch("""{"streamClosed":false}""", """{"type":"read","success":true,"chunks":[]}"""), StringComparison.Ordinal);
        Assert.Contains("has no 'duplicate'", Mismatch("""{"duplicate":false}""", """{"type":"append","success":true}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void Error_keys_compare_codes_and_messages_with_the_right_case_rules()
    {
        Assert.Null(Mismatch("""{"status":404,"errorCode":"NOT_FOUND","messageContains":["missing-path"],"errorContains":"Missing-Path"}""", NotFound));
        Assert.Contains("error code", Mismatch("""{"errorCode":"CONFLICT"}""", NotFound), StringComparison.Ordinal);
        Assert.Contains("case-sensitive", Mismatch("""{"errorContains":"missing-path"}""", NotFound), StringComparison.Ordinal);
        Assert.Contains("succeeded", Mismatch("""{"errorCode":"NOT_FOUND"}""", Read), StringComparison.Ordinal);
        Assert.Contains("succeeded", Mismatch("""{"messageContains":["x"]}""", Read), StringComparison.Ordinal);
    }

    [Fact]
    public void Head_and_close_keys_apply_to_their_own_result_types()
    {
        const string head = """{"type":"head","success":true,"status":200,"offset":null,"contentType":"text/plain; charset=utf-8","streamClosed":true}""";
        Assert.Null(Mismatch("""{"hasOffset":true,"contentType":"text/plain; charset=utf-8","streamClosed":true}""", head));
        Assert.NotNull(Mismatch("""{"contentType":"text/plain;charset=utf-8"}""", head));
        Assert.NotNull(Mismatch("""{"hasOffset":true}""", """{"type":"head","success":true,"offset":""}"""));
        Assert.Null(Mismatch("""{"finalOffset":"9"}""", """{"type":"close","success":true,"finalOffset":"9"}"""));
        Assert.NotNull(Mismatch("""{"finalOffset":"9"}""", """{"type":"close","success":true,"finalOffset":""}"""));
        Assert.Null(Mismatch("""{"finalOffset":"9"}""", """{"type":"idempotent-close","success":true,"finalOffset":""}"""));
    }

    [Fact]
    public void Sent_headers_must_be_carried_by_a_successful_append_or_read()
    {
        const string append = """{"type":"append","success":true,"status":200,"headersSent":{"X-Counter":"2"},"paramsSent":{"id":"7"}}""";
        Assert.Null(Mismatch("""{"headersSent":{"X-Counter":"2"},"paramsSent":{"id":"7"}}""", append));
        Assert.NotNull(Mismatch("""{"headersSent":{"x-counter":"2"}}""", append));
        Assert.NotNull(Mismatch("""{"headersSent":{"X-Counter":2}}""", append));
        Assert.NotNull(Mismatch("""{"headersSent":{}}""", """{"type":"append","success":true}"""));
    }

    [Fact]
    public void Producer_fields_and_valid_follow_strict_equality()
    {
        const string serverAppend = """{"type":"append","success":true,"status":403,"duplicate":false,"producerEpoch":2147483640}""";
        Assert.Null(Mismatch("""{"status":403,"duplicate":false,"producerEpoch":2147483640}""", serverAppend));
        Assert.NotNull(Mismatch("""{"producerExpectedSeq":1}""", serverAppend));
        Assert.NotNull(Mismatch("""{"valid":true}""", """{"type":"error","success":false,"errorCode":"INVALID_ARGUMENT","message":"epoch"}"""));
        Assert.NotNull(Mismatch("""{"valid":false}""", """{"type":"validate","success":true}"""));
    }
}
