using System.Text.Json;

namespace DurableStreams.Bench.EndToEnd.Harness;

/// <summary>Checks what a write scenario left on the server: exactly the expected count, each caller's messages in order.</summary>
internal static class StoredMessages
{
    public static async Task<string?> VerifyAsync(RawReader reader, string url, int expected, int callers)
    {
        var next = new int[callers];
        var count = 0;
        foreach (var body in await reader.BodiesAsync(url).ConfigureAwait(false))
        {
            if (body.Length == 0) continue;
            foreach (var record in JsonSerializer.Deserialize(body, BenchJsonContext.Default.BenchRecordArray)!)
            {
                count++;
                if (record.Caller < 0 || record.Caller >= callers) return $"unknown caller {record.Caller}";
                if (record.Seq != next[record.Caller]) return $"caller {record.Caller}: expected seq {next[record.Caller]}, found {record.Seq}";
                next[record.Caller]++;
            }
        }
        return count == expected ? null : $"{count} messages stored, expected {expected}";
    }
}
