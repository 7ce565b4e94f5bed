using DurableStreams.State;

namespace DurableStreams.Tests.State.Typed;

public sealed class StateKeyFormatTests
{
    private static void RoundTrips<TKey>(TKey key, string text) where TKey : notnull
    {
        Assert.Equal(text, StateKeyFormat<TKey>.Format(key));
        Assert.True(StateKeyFormat<TKey>.TryParse(text, out TKey parsed));
        Assert.Equal(key, parsed);
    }

    [Fact]
    public void Every_supported_key_type_round_trips_through_its_invariant_text()
    {
        RoundTrips("a b/é", "a b/é");
        RoundTrips(Guid.Parse("0F8FAD5B-D9CB-469F-A165-70867728950E"), "0f8fad5b-d9cb-469f-a165-70867728950e");
        RoundTrips(-2147483648, "-2147483648");
        RoundTrips(long.MaxValue, "9223372036854775807");
        RoundTrips((short)-12, "-12");
        RoundTrips((byte)255, "255");
        RoundTrips((sbyte)-128, "-128");
        RoundTrips((ushort)65535, "65535");
        RoundTrips(uint.MaxValue, "4294967295");
        RoundTrips(ulong.MaxValue, "18446744073709551615");
    }

    [Fact]
    public void Formatting_ignores_the_current_culture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // A culture whose negative sign is not '-' (U+2212 in sv-SE on ICU).
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("sv-SE");
            Assert.Equal("-5", StateKeyFormat<int>.Format(-5));
            Assert.True(StateKeyFormat<int>.TryParse("-5", out int parsed));
            Assert.Equal(-5, parsed);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 7")]
    [InlineData("7 ")]
    [InlineData("07")]
    [InlineData("+7")]
    [InlineData("-0")]
    [InlineData("7.0")]
    [InlineData("1,000")]
    [InlineData("2147483648")]
    public void Only_the_canonical_text_parses_as_an_int(string text) => Assert.False(StateKeyFormat<int>.TryParse(text, out _));

    [Theory]
    [InlineData("-1")]
    [InlineData("256")]
    public void Unsigned_keys_refuse_signs_and_overflow(string text) => Assert.False(StateKeyFormat<byte>.TryParse(text, out _));

    [Theory]
    [InlineData("{0f8fad5b-d9cb-469f-a165-70867728950e}")]
    [InlineData("0f8fad5bd9cb469fa16570867728950e")]
    [InlineData("0F8FAD5B-D9CB-469F-A165-70867728950E")]
    public void Only_the_lower_case_D_form_parses_as_a_Guid(string text) => Assert.False(StateKeyFormat<Guid>.TryParse(text, out _));

    [Fact]
    public void Unsupported_key_types_are_known_as_such()
    {
        Assert.True(StateKeyFormat<ulong>.IsSupported);
        Assert.False(StateKeyFormat<DateTime>.IsSupported);
        Assert.False(StateKeyFormat<decimal>.IsSupported);
    }
}
