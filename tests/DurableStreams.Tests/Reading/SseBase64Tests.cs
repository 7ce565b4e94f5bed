using DurableStreams.Tests.Support;
using static DurableStreams.Tests.Support.SseScript;

namespace DurableStreams.Tests.Reading;

/// <summary>
/// Binary streams over SSE (pitfall S3): per event, join the lines, strip CR/LF, validate strictly,
/// decode to bytes, and concatenate bytes (never base64 text, never through a string).
/// </summary>
public sealed class SseBase64Tests
{
    private const string Binary = "application/octet-stream";

    [Fact]
    public async Task Base64_split_mid_quantum_across_data_lines_decodes_after_joining()
    {
        // "AAEC/w==" = 00 01 02 FF, cut after two characters.
        using var script = new SseScript(Binary, Respond.Sse(Data("AA", "EC/w==") + Control("1", closed: true), base64: true));

        Assert.Equal(new byte[] { 0x00, 0x01, 0x02, 0xFF }, await script.ReadAllBytesAsync());
    }

    [Fact]
    public async Task Base64_lines_with_CRLF_endings_decode()
    {
        var body = "event: data\r\ndata: AAEC\r\ndata: /w==\r\n\r\n" + Control("1", closed: true).Replace("\n", "\r\n");
        using var script = new SseScript(Binary, Respond.Sse(body, base64: true));

        Assert.Equal(new byte[] { 0x00, 0x01, 0x02, 0xFF }, await script.ReadAllBytesAsync());
    }

    [Fact]
    public async Task Every_byte_value_survives_including_00_and_FF()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(new byte[] { 0xFF, 0x00, 0xFE, 0x80 }).ToArray();
        var encoded = Convert.ToBase64String(bytes);
        var lines = encoded.Chunk(76).Select(c => new string(c)).ToArray();
        // Two events (76-character lines, so each event is valid on its own): decoded bytes are concatenated.
        var half = lines.Length / 2;
        var body = Data(lines[..half]) + Data(lines[half..]) + Control("1", closed: true);

        using var script = new SseScript(Binary, Respond.Sse(body, base64: true));

        Assert.Equal(bytes, await script.ReadAllBytesAsync());
    }

    [Fact]
    public async Task An_empty_base64_event_is_zero_bytes()
    {
        var body = Data("AAE=") + "event: data\ndata:\n\n" + Data("Ag==") + Control("1", closed: true);
        using var script = new SseScript(Binary, Respond.Sse(body, base64: true));

        Assert.Equal(new byte[] { 0x00, 0x01, 0x02 }, await script.ReadAllBytesAsync());
    }

    [Theory]
    [InlineData("AQ*D")]      // outside the alphabet
    [InlineData("AQ-D")]      // URL-safe alphabet is not standard base64
    [InlineData("AQ D")]      // inner space (Convert.FromBase64String would skip it)
    [InlineData("AQ=D")]      // padding in the middle
    [InlineData("AQI")]       // length not a multiple of 4
    [InlineData("AQIDBA=")]   // length 7
    public async Task Invalid_base64_is_a_parse_error(string payload)
    {
        using var script = new SseScript(Binary, Respond.Sse(Data(payload) + Control("1", closed: true), base64: true));

        var error = await Assert.ThrowsAsync<DurableStreamParseException>(script.ReadAllBytesAsync);

        Assert.Equal(DurableStreamErrorCode.Parse, error.Code);
        Assert.Null(error.Status);
        Assert.Single(script.SseRequests); // a parse error is final: no reconnect
    }
}
