using System.Net;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Api;

/// <summary>
/// <see cref="Offset"/> as a value: its default is the beginning, <c>-1</c> is the same value however
/// it was made, and tokens are kept verbatim (never parsed).
/// </summary>
public sealed class OffsetValueTests
{
    private static readonly string[] Spellings = ["default", "Beginning", "new(-1)", "Parse(-1)", "Parse(null)", "Parse(empty)", "implicit(-1)"];

    public static TheoryData<string> BeginningSpellings => new(Spellings);

    private static Offset Make(string spelling) => spelling switch
    {
        "default" => default,
        "Beginning" => Offset.Beginning,
        "new(-1)" => new Offset("-1"),
        "Parse(-1)" => Offset.Parse("-1"),
        "Parse(null)" => Offset.Parse(null),
        "Parse(empty)" => Offset.Parse(""),
        "implicit(-1)" => "-1",
        _ => throw new ArgumentOutOfRangeException(nameof(spelling)),
    };

    [Fact]
    public void Beginning_is_the_default_value()
    {
        Assert.True(Offset.Beginning == default);
        Assert.Equal(default(Offset), Offset.Beginning);
        Assert.Equal(Offset.Beginning, new ReadOptions().Offset);
    }

    [Theory]
    [MemberData(nameof(BeginningSpellings))]
    public void Every_spelling_of_the_beginning_is_one_value(string spelling)
    {
        var offset = Make(spelling);

        Assert.True(offset == default, $"{spelling} != default");
        Assert.True(offset.Equals(Offset.Beginning));
        Assert.Equal(default(Offset).GetHashCode(), offset.GetHashCode());
        Assert.Equal("-1", offset.ToString());
        Assert.Equal("-1", offset.Value);
        Assert.True(offset.IsSentinel);
    }

    [Fact]
    public void The_beginning_is_one_dictionary_key_however_it_was_made()
    {
        var positions = new Dictionary<Offset, string> { [default] = "start" };

        foreach (var spelling in Spellings)
            Assert.Equal("start", positions[Make(spelling)]);

        positions[new Offset("-1")] = "replaced";
        Assert.Single(positions);
        Assert.Equal("replaced", positions[Offset.Beginning]);
        Assert.False(positions.ContainsKey(Offset.Now));
        Assert.False(positions.ContainsKey(new Offset("0000_0001")));
        Assert.Single(Spellings.Select(Make).ToHashSet());
    }

    [Fact]
    public void Server_tokens_are_kept_verbatim_and_compared_as_text()
    {
        var token = new Offset("0000000000000001_0000000000012345");

        Assert.Equal("0000000000000001_0000000000012345", token.Value);
        Assert.Equal("0000000000000001_0000000000012345", token.ToString());
        Assert.False(token.IsSentinel);
        Assert.NotEqual(Offset.Beginning, token);
        Assert.Equal(token, Offset.Parse("0000000000000001_0000000000012345"));
        Assert.NotEqual(new Offset("01"), new Offset("1")); // opaque: no numeric reading
        Assert.True(Offset.Now.IsSentinel);
        Assert.Equal("now", Offset.Now.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void The_constructor_refuses_a_missing_token(string? value) =>
        Assert.ThrowsAny<ArgumentException>(() => new Offset(value!));

    [Fact]
    public async Task Responses_without_a_next_offset_report_none_rather_than_the_beginning()
    {
        var handler = new FakeHttpHandler(request => request.Method == HttpMethod.Head
            ? Respond.Status(HttpStatusCode.OK, null, ("Stream-Up-To-Date", "true"))
            : Respond.Status(request.Method == HttpMethod.Put ? HttpStatusCode.Created : HttpStatusCode.NoContent));
        using var fake = new FakeClient(handler, o => o.BatchAppends = false);
        var stream = fake.Client.GetStream("s", "text/plain");

        Assert.Null((await stream.CreateAsync(new CreateStreamOptions { ContentType = "text/plain" })).Offset);
        Assert.Null((await stream.AppendAsync("x")).Offset);
        Assert.Null((await stream.HeadAsync()).Offset);
        Assert.Null((await stream.CloseAsync()).FinalOffset);
    }

    [Fact]
    public async Task The_default_offset_is_sent_as_minus_one()
    {
        var handler = new FakeHttpHandler(request => Respond.Read("", "text/plain", "1_0"));
        using var fake = new FakeClient(handler);

        await using (var response = await fake.Client.GetStream("s").ReadAsync(new ReadOptions { Offset = default }))
            await response.ReadAllBytesAsync();

        Assert.Equal("-1", Assert.Single(handler.Requests).Query("offset"));
    }
}
