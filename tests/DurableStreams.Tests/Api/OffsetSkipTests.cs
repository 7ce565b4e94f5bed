using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.Api;

/// <summary>
/// <see cref="Offset.Skip"/>: the <c>token,skip</c> text form round-trips, equality includes the skip,
/// and a skip is refused where it has no meaning (<c>now</c>, non-JSON streams, forks).
/// </summary>
public sealed class OffsetSkipTests
{
    [Fact]
    public void A_skip_is_written_after_a_comma_and_parsed_back()
    {
        var position = new Offset("0000000000000003_0000000000000120", 4);

        Assert.Equal("0000000000000003_0000000000000120,4", position.ToString());
        Assert.Equal("0000000000000003_0000000000000120", position.Value); // what goes on the wire
        Assert.Equal(4, position.Skip);
        Assert.Equal(position, Offset.Parse(position.ToString()));
        Offset converted = position.ToString();
        Assert.Equal(position, converted);
    }

    [Fact]
    public void Without_a_skip_the_text_is_the_token_alone()
    {
        Assert.Equal("abc", new Offset("abc", 0).ToString());
        Assert.Equal(new Offset("abc"), new Offset("abc", 0));
        Assert.Equal(new Offset("abc"), Offset.Parse("abc,0"));
        Assert.Equal(0, Offset.Parse("abc").Skip);
        Assert.Equal(0, default(Offset).Skip);
    }

    [Fact]
    public void The_beginning_takes_a_skip_and_is_then_a_checkpoint()
    {
        var position = Offset.Parse("-1,2");

        Assert.Equal("-1", position.Value);
        Assert.Equal(2, position.Skip);
        Assert.Equal("-1,2", position.ToString());
        Assert.NotEqual(Offset.Beginning, position);
        Assert.False(position.IsSentinel);
        Assert.Equal(Offset.Beginning, new Offset("-1", 0));
    }

    [Fact]
    public void Equality_and_hashing_include_the_skip()
    {
        var a = new Offset("t", 1);

        Assert.Equal(a, new Offset("t", 1));
        Assert.Equal(a.GetHashCode(), new Offset("t", 1).GetHashCode());
        Assert.NotEqual(a, new Offset("t", 2));
        Assert.NotEqual(a, new Offset("t"));
        Assert.NotEqual(a, new Offset("u", 1));
        Assert.Equal(2, new HashSet<Offset> { a, new Offset("t", 1), new Offset("t") }.Count);
    }

    [Fact]
    public void Now_takes_no_skip()
    {
        Assert.Throws<ArgumentException>(() => new Offset("now", 1));
        Assert.Throws<ArgumentException>(() => Offset.Parse("now,3"));
        Assert.Equal(Offset.Now, new Offset("now", 0));
    }

    [Theory]
    [InlineData("abc,")]
    [InlineData(",3")]
    [InlineData("abc,x")]
    [InlineData("abc,-1")]
    [InlineData("abc,+1")]
    [InlineData("abc, 1")]
    [InlineData("abc,99999999999999999999")]
    public void Malformed_text_forms_are_format_errors(string text) =>
        Assert.Throws<FormatException>(() => Offset.Parse(text));

    [Fact]
    public void A_skip_is_never_negative_and_a_token_with_a_skip_has_no_comma()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Offset("t", -1));
        Assert.Throws<ArgumentException>(() => new Offset("a,b", 1));
        Assert.Throws<ArgumentException>(() => new Offset("", 1));
    }

    [Fact]
    public async Task A_known_non_json_stream_refuses_a_skip_before_any_request()
    {
        using var fake = new FakeClient(new FakeHttpHandler(Respond.Unexpected));
        var stream = fake.Client.GetStream("bytes", "application/octet-stream");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => stream.ReadAsync(new ReadOptions { Offset = new Offset("t", 2) }));

        Assert.Contains("JSON", error.Message);
        Assert.Empty(fake.Handler.Requests);
    }

    [Fact]
    public async Task A_stream_found_to_be_non_json_refuses_a_skip_at_its_first_response()
    {
        using var fake = new FakeClient(new FakeHttpHandler(_ => Respond.Read("bytes", "text/plain", "9")));
        var stream = fake.Client.GetStream("text");

        await Assert.ThrowsAsync<ArgumentException>(() => stream.ReadAsync(new ReadOptions { Offset = new Offset("t", 2) }));
    }

    [Fact]
    public async Task Forks_refuse_a_position_with_a_skip()
    {
        using var fake = new FakeClient(new FakeHttpHandler(Respond.Unexpected));
        var source = fake.Client.GetStream("source", "application/json");
        var position = new Offset("t", 2);

        await Assert.ThrowsAsync<ArgumentException>(() => source.ForkAsync("fork", position));
        await Assert.ThrowsAsync<ArgumentException>(() => fake.Client.GetStream("fork").CreateAsync(
            new CreateStreamOptions { ForkFrom = new StreamFork("/v1/stream/source", position) }));
        Assert.Empty(fake.Handler.Requests);
    }
}
