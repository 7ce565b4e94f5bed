using System.Text.Json.Nodes;
using DurableStreams.Conformance.Json;

namespace DurableStreams.Conformance.RunnerTests;

public sealed class JsonTextTests
{
    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(-0.0, "0")]
    [InlineData(1.5, "1.5")]
    [InlineData(123456789012.0, "123456789012")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(-2.5e-8, "-2.5e-8")]
    [InlineData(0.1, "0.1")]
    public void Numbers_print_like_javascript(double value, string expected)
    {
        Assert.Equal(expected, JsNumber.Format(value));
    }

    [Fact]
    public void Stringify_is_compact_ordered_and_only_escapes_what_json_stringify_does()
    {
        var value = new JsonObject
        {
            ["id"] = 0L,
            ["text"] = "é \"q\" \\ \n\u0001\u2028",
            ["list"] = new JsonArray(1, 2.5, true, null),
        };

        Assert.Equal("{\"id\":0,\"text\":\"é \\\"q\\\" \\\\ \\n\\u0001\u2028\",\"list\":[1,2.5,true,null]}", CompactJson.Stringify(value));
    }

    [Fact]
    public void Protocol_lines_additionally_escape_line_and_paragraph_separators()
    {
        var line = CompactJson.ToProtocolLine(new JsonObject { ["data"] = "a\u2028b\u2029c\u0085d" });

        Assert.Equal("{\"data\":\"a\\u2028b\\u2029c\u0085d\"}", line);
        Assert.DoesNotContain('\u2028', line);
        Assert.Equal("a\u2028b\u2029c\u0085d", JsonNode.Parse(line)!["data"]!.GetValue<string>());
    }

    [Fact]
    public void Javascript_value_rules_hold_for_every_number_representation()
    {
        var parsed = JsonNode.Parse("{\"n\":200,\"f\":200.0,\"s\":\"200\"}")!;

        Assert.True(JsValues.StrictEquals(parsed["n"], JsonValue.Create(200)));
        Assert.True(JsValues.StrictEquals(parsed["f"], JsonValue.Create(200L)));
        Assert.False(JsValues.StrictEquals(parsed["s"], JsonValue.Create(200)));
        Assert.False(JsValues.StrictEquals(JsonValue.Create(false), JsonValue.Create(0)));
        Assert.Equal("200", JsValues.ToText(JsonValue.Create(200)));
        Assert.True(JsValues.IsTruthy(JsonValue.Create(1)));
        Assert.False(JsValues.IsTruthy(JsonValue.Create("")));
        Assert.False(JsValues.IsTruthy(null));
    }
}
