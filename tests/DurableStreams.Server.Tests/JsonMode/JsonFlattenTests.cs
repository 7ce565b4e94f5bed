using System.Text;
using System.Text.Encodings.Web;
using DurableStreams.Server.Protocol;

namespace DurableStreams.Server.Tests.JsonMode;

/// <summary>
/// The verbatim fast path of JSON appends must store exactly what the parse-and-write path stores, report the same
/// counts and errors, and be taken for the minified bodies clients send.
/// </summary>
public sealed class JsonFlattenTests
{
    public static TheoryData<string> Bodies() =>
    [
        "[{\"caller\":1,\"seq\":2,\"at\":638900000000000000,\"payload\":\"xxxx\"},{\"caller\":2,\"seq\":3,\"at\":1,\"payload\":\"\"}]",
        "{\"a\":1}", "1", "-0.5e+10", "true", "null", "\"text\"", "[1,2,3]", "[[1,[2]],{\"a\":[{}]},[]]", "[]", "{}", "[{}]",
        "[1, 2]", " [1]", "[1] ", "[1]\n", "{\"a\" :1}", "[{\"a\":1 }]", "\t{\"a\":1}",
        "[\"a\\u0041\"]", "[\"\\n\"]", "[\"\\/\"]", "{\"k\\\"ey\":1}", "[\"<>&'+`\"]", "[\"héllo ü\"]", "[\"😀\"]",
        "[\"\u2028\u2029\"]", "[\"\u00a0\u00ad\"]", "[1.0,1E2,-0,0.000]", "{\"a\":1,\"a\":2}",
        "", " ", "[", "[1,]", "[1 2]", "{\"a\":1}{}", "[1] 2", "nul", "[\"\u0001\"]", "'a'", "[1]//c", "\uFEFF[1]",
    ];

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Fast_path_matches_parse_and_write(string text)
    {
        AssertSame(Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public void Invalid_utf8_and_deep_nesting_match_too()
    {
        AssertSame([(byte)'[', (byte)'"', 0xC3, (byte)'"', (byte)']']);
        AssertSame([(byte)'"', 0xFF, (byte)'"']);
        AssertSame(Encoding.UTF8.GetBytes(new string('[', 256) + new string(']', 256)));
        AssertSame(Encoding.UTF8.GetBytes(new string('[', 257) + new string(']', 257)));
    }

    [Fact]
    public void Random_values_match()
    {
        var random = new Random(16);
        for (var i = 0; i < 2000; i++)
        {
            var text = new StringBuilder();
            if (random.Next(3) == 0) text.Append(Value(random, 0));
            else
            {
                text.Append('[');
                var n = random.Next(1, 6);
                for (var j = 0; j < n; j++) text.Append(j > 0 ? Separator(random) : "").Append(Value(random, 0));
                text.Append(']');
            }
            AssertSame(Encoding.UTF8.GetBytes(text.ToString()));
        }
    }

    [Theory]
    [InlineData("[{\"caller\":1,\"payload\":\"xxxx\"},{\"caller\":2,\"payload\":\"y\"}]", true)]
    [InlineData("{\"a\":[1,{\"b\":null}]}", true)]
    [InlineData("[\"héllo\"]", true)]
    [InlineData("[1, 2]", false)]
    [InlineData("[\"a\\u0041\"]", false)]
    [InlineData("[\"😀\"]", false)]
    [InlineData("[]", false)]
    [InlineData("[1,]", false)]
    public void Fast_path_is_taken_for_minified_bodies_only(string text, bool verbatim)
    {
        var taken = JsonVerbatim.TryFlatten(Encoding.UTF8.GetBytes(text), JavaScriptEncoder.UnsafeRelaxedJsonEscaping, out _, out _);
        Assert.Equal(verbatim, taken);
    }

    private static void AssertSame(byte[] body)
    {
        foreach (var isCreate in new[] { false, true })
        {
            var expectedOk = JsonMessages.TryFlattenParsed(body, isCreate, out var expected, out var expectedCount, out var expectedError);
            var ok = JsonMessages.TryFlatten(body, isCreate, out var stored, out var count, out var error);
            var shown = Encoding.UTF8.GetString(body);
            Assert.True(expectedOk == ok, $"result differs for {shown}");
            Assert.True(expected.AsSpan().SequenceEqual(stored), $"stored differs for {shown}: {Encoding.UTF8.GetString(stored)}");
            Assert.True(expectedCount == count, $"count differs for {shown}");
            Assert.True(expectedError == error, $"error differs for {shown}");
        }
    }

    private static string Separator(Random random) => random.Next(4) == 0 ? ", " : ",";

    private static string Value(Random random, int depth)
    {
        var kind = random.Next(depth > 3 ? 4 : 6);
        switch (kind)
        {
            case 0: return random.Next(2) == 0 ? "true" : "null";
            case 1: return random.Next(-1000, 1000) + (random.Next(3) == 0 ? ".25e-3" : "");
            case 2: case 3: return "\"" + Text(random) + "\"";
            case 4:
                {
                    var n = random.Next(0, 4);
                    return "[" + string.Join(Separator(random), Enumerable.Range(0, n).Select(_ => Value(random, depth + 1))) + "]";
                }
            default:
                {
                    var n = random.Next(0, 4);
                    return "{" + string.Join(Separator(random), Enumerable.Range(0, n).Select(_ => "\"" + Text(random) + "\"" + (random.Next(5) == 0 ? " : " : ":") + Value(random, depth + 1))) + "}";
                }
        }
    }

    private static readonly string[] Pieces = ["a", "Z", "9", " ", "<", ">", "&", "'", "+", "`", "é", "€", "😀", "\\n", "\\\"", "\\\\", "\\u00e9", "\\u0000", "/", "\u007f", "\u0085", "\u2028", "\ufffd", "\u0378"];

    private static string Text(Random random)
    {
        var text = new StringBuilder();
        var n = random.Next(0, 6);
        for (var i = 0; i < n; i++) text.Append(random.Next(3) == 0 ? Pieces[random.Next(Pieces.Length)] : "x");
        return text.ToString();
    }
}
