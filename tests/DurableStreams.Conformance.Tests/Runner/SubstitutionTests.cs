using System.Text.Json.Nodes;
using DurableStreams.Conformance.Runner;

namespace DurableStreams.Conformance.RunnerTests;

public sealed class SubstitutionTests
{
    [Fact]
    public void Replaces_every_reference_and_walks_properties()
    {
        var variables = new VariableTable();
        variables.SetText("path", "/s");
        variables.Set("head", new JsonObject { ["offset"] = "0_5", ["nested"] = null, ["n"] = 2 });

        Assert.Equal("/s then /s", Substitution.Apply("${path} then ${path}", variables));
        Assert.Equal("0_5", Substitution.Apply("${head.offset}", variables));
        Assert.Equal("2", Substitution.Apply("${head.n}", variables));
        Assert.Equal("[]", Substitution.Apply("[${head.nested.deeper}]", variables));
        Assert.Equal("[object Object]", Substitution.Apply("${head}", variables));
        Assert.Equal("${}", Substitution.Apply("${}", variables));
    }

    [Fact]
    public void Undefined_and_forgotten_variables_fail_with_the_expression()
    {
        var variables = new VariableTable();
        variables.SetText("offset", "1");
        variables.SetOrForget("offset", null, isPresent: false);

        var error = Assert.Throws<UndefinedVariableException>(() => Substitution.Apply("a${offset.x}b", variables));
        Assert.Equal("Undefined variable: offset (in ${offset.x})", error.Message);
    }

    [Fact]
    public void RandomUuid_is_a_fresh_v4_uuid_per_occurrence_and_shadows_variables()
    {
        var variables = new VariableTable();
        variables.SetText("randomUUID", "fixed");

        var parts = Substitution.Apply("${randomUUID}|${randomUUID}", variables).Split('|');

        Assert.NotEqual(parts[0], parts[1]);
        Assert.All(parts, part =>
        {
            var uuid = Guid.Parse(part);
            Assert.Equal(part, uuid.ToString("D"));
            Assert.Equal(4, uuid.Version);
        });
    }
}
