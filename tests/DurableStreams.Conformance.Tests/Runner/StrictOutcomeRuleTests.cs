using System.Text.Json.Nodes;
using DurableStreams.Conformance.Expectations;

namespace DurableStreams.Conformance.RunnerTests;

public sealed class StrictOutcomeRuleTests
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private const string Error = """{"type":"error","success":false,"errorCode":"INVALID_OFFSET","message":"bad offset","status":400}""";
    private const string Success = """{"type":"read","success":true,"status":200,"chunks":[]}""";

    [Theory]
    [InlineData("""{"errorCode":"INVALID_OFFSET"}""")]
    [InlineData("""{"messageContains":["offset"]}""")]
    [InlineData("""{"errorContains":"offset"}""")]
    [InlineData("""{"error":true}""")]
    [InlineData("""{"valid":false}""")]
    [InlineData("""{"status":400}""")]
    public void An_error_result_is_fine_when_expect_asks_for_an_error(string expect)
    {
        Assert.Null(StrictOutcomeRule.Check(Json(expect), Json(Error)));
        Assert.Contains("succeeded", StrictOutcomeRule.Check(Json(expect), Json(Success))!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"chunkCount":0}""")]
    [InlineData("""{"status":200,"data":"x"}""")]
    [InlineData("""{"error":false,"valid":true}""")]
    public void An_error_result_fails_when_expect_does_not_ask_for_one(string expect)
    {
        var mismatch = StrictOutcomeRule.Check(Json(expect), Json(Error));

        Assert.NotNull(mismatch);
        Assert.Null(mismatch.Key);
        Assert.Contains("INVALID_OFFSET 400: bad offset", mismatch.Explanation, StringComparison.Ordinal);
        Assert.Null(StrictOutcomeRule.Check(Json(expect), Json(Success)));
    }

    [Fact]
    public void An_expected_error_status_must_be_reported_by_the_error()
    {
        var withoutStatus = Json("""{"type":"error","success":false,"errorCode":"NOT_FOUND","message":"gone"}""");

        Assert.Contains("carries no status", StrictOutcomeRule.Check(Json("""{"status":404}"""), withoutStatus)!.Explanation, StringComparison.Ordinal);
        Assert.Null(StrictOutcomeRule.Check(Json("""{"errorCode":"NOT_FOUND"}"""), withoutStatus));
    }

    [Fact]
    public void Batch_items_must_fail_exactly_at_the_listed_indices()
    {
        var expect = Json("""{"succeedIndices":[0,2],"failIndices":[1]}""");

        Assert.Null(StrictOutcomeRule.CheckBatchItem(expect, 0, Json(Success)));
        Assert.Null(StrictOutcomeRule.CheckBatchItem(expect, 1, Json(Error)));
        Assert.Contains("batch item 1", StrictOutcomeRule.CheckBatchItem(expect, 1, Json(Success))!.Explanation, StringComparison.Ordinal);
        Assert.Contains("batch item 2", StrictOutcomeRule.CheckBatchItem(expect, 2, Json(Error))!.Explanation, StringComparison.Ordinal);
    }
}
