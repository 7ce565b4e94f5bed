using System.Text.Json;
using System.Text.Json.Nodes;
using DurableStreams.Conformance.Yaml;
using YamlDotNet.RepresentationModel;

namespace DurableStreams.Conformance.RunnerTests;

public sealed class YamlTypingTests
{
    private static JsonObject Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (JsonObject)YamlToJson.Convert(stream.Documents[0].RootNode)!;
    }

    [Fact]
    public void Plain_booleans_are_booleans_but_quoted_ones_and_words_stay_strings()
    {
        var node = Load("a: false\nb: \"false\"\nc: long-poll\nd: True\ne: yes\nf: on\n");

        Assert.Equal(JsonValueKind.False, node["a"]!.GetValueKind());
        Assert.Equal("false", node["b"]!.GetValue<string>());
        Assert.Equal("long-poll", node["c"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.True, node["d"]!.GetValueKind());
        Assert.Equal("yes", node["e"]!.GetValue<string>()); // YAML 1.1 only
        Assert.Equal("on", node["f"]!.GetValue<string>());
    }

    [Fact]
    public void Integers_keep_64_bits_and_core_schema_number_forms()
    {
        var node = Load("seq: 9007199254740991\nepoch: 2147483640\nhex: 0x1F\noctal: 0o17\nreal: 1.5\nquoted: \"42\"\nleadingZero: 012\n");

        Assert.Equal(9007199254740991L, node["seq"]!.GetValue<long>());
        Assert.Equal(2147483640L, node["epoch"]!.GetValue<long>());
        Assert.Equal(31L, node["hex"]!.GetValue<long>());
        Assert.Equal(15L, node["octal"]!.GetValue<long>());
        Assert.Equal(1.5, node["real"]!.GetValue<double>());
        Assert.Equal("42", node["quoted"]!.GetValue<string>());
        Assert.Equal(12L, node["leadingZero"]!.GetValue<long>()); // decimal in 1.2, not octal
    }

    [Fact]
    public void Double_quoted_escapes_become_the_real_characters()
    {
        var node = Load("a: \"x\\u2028y\"\nb: \"\\u2029\"\nc: \"\\u0085\"\nd: \"\\N\\L\\P\"\ne: 'x\\u2028'\n");

        Assert.Equal("x\u2028y", node["a"]!.GetValue<string>());
        Assert.Equal("\u2029", node["b"]!.GetValue<string>());
        Assert.Equal("\u0085", node["c"]!.GetValue<string>());
        Assert.Equal("\u0085\u2028\u2029", node["d"]!.GetValue<string>());
        Assert.Equal("x\\u2028", node["e"]!.GetValue<string>()); // single quotes have no escapes
    }

    [Fact]
    public void Empty_and_tilde_values_are_null_and_mappings_keep_their_order()
    {
        var node = Load("a:\nb: ~\njson:\n  z: 1\n  a: [1, \"two\", {k: v}]\n");

        Assert.Null(node["a"]);
        Assert.True(node.ContainsKey("a"));
        Assert.Null(node["b"]);
        Assert.Equal(["z", "a"], node["json"]!.AsObject().Select(entry => entry.Key));
        Assert.Equal("two", node["json"]!["a"]![1]!.GetValue<string>());
    }

    [Fact]
    public void Duplicate_keys_are_rejected()
    {
        Assert.ThrowsAny<Exception>(() => Load("a: 1\na: 2\n"));
    }
}
