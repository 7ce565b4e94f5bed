using System.Text;
using DurableStreams.Tests.Support;
using static DurableStreams.Tests.Support.SseScript;

namespace DurableStreams.Tests.Reading;

/// <summary>
/// A control event that commits megabytes of data events at once (an SSE catch-up from the beginning: one data
/// event per stored message) is decoded in groups on more than one core: order kept, and an invalid payload
/// still fails the whole delivery, with the first invalid payload's error, before any message is handed out.
/// </summary>
public sealed class SseLargeDeliveryTests
{
    private const int Events = 20_000; // ~2.4 MB of payloads: several groups
    private static readonly string Pad = new('x', 100);

    private static string Payload(int n) => (n % 3) switch
    {
        0 => $"[{{\"n\":{n},\"pad\":\"{Pad}\"}}]",
        1 => $"{{\"n\":{n},\"pad\":\"{Pad}\"}}", // a single value, not an array
        _ => $" [ {{\"n\":{n},\"pad\":\"{Pad}\"}} ]\n",
    };

    private static string EventsText(Func<int, string> payload)
    {
        var text = new StringBuilder();
        for (var n = 0; n < Events; n++) text.Append(Data(payload(n)));
        text.Append(Control(Events.ToString(), closed: true));
        return text.ToString();
    }

    [Fact]
    public async Task Every_message_of_a_large_delivery_arrives_in_order()
    {
        using var script = new SseScript("application/json", Respond.Sse(EventsText(Payload)));
        await using var response = await script.OpenAsync();

        var items = await response.ReadAllJsonAsync(TestJsonContext.Default.Numbered).WaitAsync(TestTimeouts.Hang);

        Assert.Equal(Enumerable.Range(0, Events), items.Select(i => i.N));
    }

    [Fact]
    public async Task An_invalid_payload_fails_the_delivery_with_the_first_error_and_nothing_delivered()
    {
        // Two invalid payloads in different groups: the earlier one (a string where a number belongs) is reported.
        string Broken(int n) => n switch
        {
            12_000 => $"[{{\"n\":\"twelve\",\"pad\":\"{Pad}\"}}]",
            18_000 => "[{\"n\":1}",
            _ => Payload(n),
        };
        using var script = new SseScript("application/json", Respond.Sse(EventsText(Broken)));
        await using var response = await script.OpenAsync();

        var delivered = 0;
        var error = await Assert.ThrowsAsync<DurableStreamParseException>(async () =>
        {
            await foreach (var _ in response.ReadJsonAsync(TestJsonContext.Default.Numbered).WithHangGuard()) delivered++;
        });

        Assert.Equal(0, delivered);
        Assert.Contains("Invalid JSON in SSE data event", error.Message);
        Assert.Contains("could not be converted", error.Message); // the later payload is cut off, a different error
    }
}
