using DurableStreams.FaultTests.Scenarios;

namespace DurableStreams.FaultTests.Infrastructure;

/// <summary>Every case key the scenarios run under, so the known-failures list can be checked for stale lines.</summary>
public static class SuiteCases
{
    public static IReadOnlySet<string> All { get; } = Build();

    private static HashSet<string> Build()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kind in new[] { UpstreamKind.EmbeddedMemory, UpstreamKind.Reference })
        {
            keys.Add($"Producer.ExactlyOnce.{kind}");
            keys.Add($"BatchedAppends.OnceOrReported.{kind}");
        }

        foreach (var live in new[] { LiveMode.LongPoll, LiveMode.Sse })
        {
            foreach (var saved in Enum.GetValues<ResumeUnderFaultsTests.SavedPosition>())
            {
                keys.Add($"Resume.{UpstreamKind.EmbeddedMemory}.{live}.{saved}");
                if (saved != ResumeUnderFaultsTests.SavedPosition.BatchItem) keys.Add($"Resume.{UpstreamKind.Reference}.{live}.{saved}");
            }

            keys.Add($"Restarts.ProducerAndReader.{live}");
        }

        foreach (var c in Enum.GetValues<MalformedSseTests.Case>()) keys.Add($"Malformed.Sse.{c}");
        foreach (var c in Enum.GetValues<MalformedCatchUpTests.Case>()) keys.Add($"Malformed.CatchUp.{c}");
        foreach (var c in Enum.GetValues<MalformedTransportTests.Case>()) keys.Add($"Malformed.Transport.{c}");
        foreach (var c in Enum.GetValues<CutAnswerTests.Case>()) keys.Add($"Cut.{c}");
        return keys;
    }
}
