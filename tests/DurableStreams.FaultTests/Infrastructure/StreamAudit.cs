using System.Text.Json;

namespace DurableStreams.FaultTests.Infrastructure;

/// <summary>
/// Reads a JSON stream back directly from the server (never through the proxy, never through the SDK under test):
/// plain catch-up GETs from the start, following <c>Stream-Next-Offset</c> until <c>Stream-Up-To-Date</c>.
/// </summary>
public static class StreamAudit
{
    public static async Task<IReadOnlyList<Msg>> ReadAllAsync(Uri streamUrl, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var messages = new List<Msg>();
        var offset = "-1";
        for (var request = 0; ; request++)
        {
            if (request > 1_000_000) throw new InvalidOperationException("The audit read does not end.");
            using var response = await http.GetAsync(new Uri(streamUrl + "?offset=" + Uri.EscapeDataString(offset)), cancellationToken);
            if (response.StatusCode != System.Net.HttpStatusCode.OK)
                throw new InvalidOperationException($"Audit read of {streamUrl} at {offset}: HTTP {(int)response.StatusCode}.");
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (body.Length > 0)
            {
                using var document = JsonDocument.Parse(body);
                foreach (var item in document.RootElement.EnumerateArray())
                    messages.Add(item.Deserialize(FaultJson.Default.Msg) ?? throw new InvalidOperationException("A null message."));
            }

            var next = response.Headers.TryGetValues("Stream-Next-Offset", out var values) ? values.Single()
                : throw new InvalidOperationException($"Audit read of {streamUrl} at {offset}: no Stream-Next-Offset.");
            var upToDate = response.Headers.TryGetValues("Stream-Up-To-Date", out var flags) && flags.Single() == "true";
            if (upToDate || next == offset) return messages;
            offset = next;
        }
    }
}
