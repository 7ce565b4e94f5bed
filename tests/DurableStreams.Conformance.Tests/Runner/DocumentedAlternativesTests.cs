using System.Text.Json.Nodes;
using DurableStreams.Conformance.Expectations;
using DurableStreams.Conformance.Yaml;

namespace DurableStreams.Conformance.RunnerTests;

public sealed class DocumentedAlternativesTests
{
    private const string CaseKey = "consumer-errors/read-future-offset";

    private static CaseStep Step(string action) =>
        SuiteFileParser.Parse($"id: s\ntests:\n  - id: t\n    operations:\n      - action: {action}\n", "t.yaml")[0].Operations[0];

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    [Fact]
    public void Accepts_only_the_documented_code_and_status_for_that_case_and_action()
    {
        var invalidOffset = Json("""{"type":"error","success":false,"errorCode":"INVALID_OFFSET","message":"bad","status":400}""");
        Assert.True(DocumentedAlternatives.Accepts(CaseKey, Step("read"), invalidOffset));

        Assert.False(DocumentedAlternatives.Accepts("consumer-errors/other", Step("read"), invalidOffset));
        Assert.False(DocumentedAlternatives.Accepts(CaseKey, Step("append"), invalidOffset));
        Assert.False(DocumentedAlternatives.Accepts(CaseKey, Step("read"),
            Json("""{"type":"error","success":false,"errorCode":"INVALID_OFFSET","message":"bad"}""")));
        Assert.False(DocumentedAlternatives.Accepts(CaseKey, Step("read"),
            Json("""{"type":"error","success":false,"errorCode":"UNEXPECTED_STATUS","message":"bad","status":500}""")));
        Assert.False(DocumentedAlternatives.Accepts(CaseKey, Step("read"),
            Json("""{"type":"read","success":true,"status":200,"chunks":[]}""")));
    }
}
