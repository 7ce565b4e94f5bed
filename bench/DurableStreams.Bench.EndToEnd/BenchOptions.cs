using System.Globalization;

namespace DurableStreams.Bench.EndToEnd;

/// <summary>Command line: <c>[--quick] [--json FILE] [--rounds N] [--messages N] [--latency-messages N] [--servers] [--memory-streams N] [--baseline-server DLL] [--only catchup|append1]</c>.</summary>
internal sealed record BenchOptions
{
    public bool Quick { get; init; }
    public string? JsonPath { get; init; }
    public int Rounds { get; init; } = 5;
    public int Messages { get; init; } = 100_000;
    public int Callers { get; init; } = 64;
    public int LatencyMessages { get; init; } = 1_000;
    public int LatencyWarmup { get; init; } = 20;
    public int SingleCallerMessages { get; init; } = 2_000;
    public int Creates { get; init; } = 100;

    /// <summary><c>--servers</c>: the SDK against the reference, embedded-memory and embedded-file servers (Servers/ServersBench).</summary>
    public bool Servers { get; init; }
    public int WarmupRounds { get; init; } = 2;
    public int MemoryStreams { get; init; } = 20_000;

    /// <summary>
    /// <c>catchup</c>: only the catch-up reads (HTTP and SSE), only this SDK and the raw fetches, per-round ratios.
    /// <c>append1</c>: only the one-caller append, this SDK and the upstream C# client, per-round ratios.
    /// </summary>
    public string? Only { get; init; }

    /// <summary><c>--baseline-server DLL</c>: another DurableStreams.DevServer build, run as a fourth server (its memory store) for A/B.</summary>
    public string? BaselineServer { get; init; }

    /// <summary>Quick mode keeps every scenario but shrinks counts and rounds to stay well under 3 minutes.</summary>
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        if (args.Contains("--quick")) options = options with { Quick = true, Rounds = 3, Messages = 20_000, LatencyMessages = 200, SingleCallerMessages = 500, Creates = 50, MemoryStreams = 5_000 };
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": break;
                case "--servers": options = options with { Servers = true }; break;
                case "--baseline-server": options = options with { BaselineServer = Path.GetFullPath(Value(args, ++i)) }; break;
                case "--memory-streams": options = options with { MemoryStreams = Number(args, ++i) }; break;
                case "--json": options = options with { JsonPath = Value(args, ++i) }; break;
                case "--rounds": options = options with { Rounds = Number(args, ++i) }; break;
                case "--messages": options = options with { Messages = Number(args, ++i) }; break;
                case "--latency-messages": options = options with { LatencyMessages = Number(args, ++i) }; break;
                case "--only":
                    var only = Value(args, ++i);
                    if (only is not ("catchup" or "append1")) throw new ArgumentException($"--only takes 'catchup' or 'append1', not '{only}'.");
                    options = options with { Only = only };
                    break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: [--quick] [--servers] [--memory-streams N] [--baseline-server DLL] [--json FILE] [--rounds N] [--messages N] [--latency-messages N] [--only catchup|append1]");
            }
        }
        return options;
    }

    private static string Value(string[] args, int i) =>
        i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    private static int Number(string[] args, int i) => int.Parse(Value(args, i), CultureInfo.InvariantCulture);
}
