using System.Text.Json.Nodes;
using DurableStreams.Conformance.Expectations;
using DurableStreams.Conformance.Yaml;

namespace DurableStreams.Conformance.RunnerTests;

public sealed class DeliberateDeviationsTests
{
    private const string CaseKey = "idempotent-json-batching/client-deduplication-works";

    private static IReadOnlyList<CaseStep> Operations(string action) =>
        SuiteFileParser.Parse($"id: s\ntests:\n  - id: t\n    operations:\n      - action: {action}\n      - action: {action}\n", "t.yaml")[0].Operations;

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static readonly JsonObject Collision =
        Json("""{"type":"error","success":false,"errorCode":"CONFLICT","message":"Producer 'p' collided with another writer","status":204}""");

    [Fact]
    public void Accepts_only_the_collision_on_the_named_step_of_that_case()
    {
        var steps = Operations("idempotent-append-batch");
        Assert.True(DeliberateDeviations.Accepts(CaseKey, steps[1], Collision));

        Assert.False(DeliberateDeviations.Accepts(CaseKey, steps[0], Collision));
        Assert.False(DeliberateDeviations.Accepts("idempotent-json-batching/other", steps[1], Collision));
        Assert.False(DeliberateDeviations.Accepts(CaseKey, Operations("idempotent-append")[1], Collision));
        Assert.False(DeliberateDeviations.Accepts(CaseKey, steps[1],
            Json("""{"type":"error","success":false,"errorCode":"CONFLICT","message":"some other conflict","status":409}""")));
        Assert.False(DeliberateDeviations.Accepts(CaseKey, steps[1],
            Json("""{"type":"error","success":false,"errorCode":"INTERNAL_ERROR","message":"collided with another writer"}""")));
        Assert.False(DeliberateDeviations.Accepts(CaseKey, steps[1],
            Json("""{"type":"idempotent-append-batch","success":true,"status":200}""")));
    }
}
