using System.Globalization;

namespace DurableStreams.FaultTests.Infrastructure;

/// <summary>
/// What a run of the fault suite uses: the seed (from <c>DURABLE_STREAMS_FAULTS_SEED</c>, or a fresh one that is
/// printed so a failure can be replayed) and the size (<c>DURABLE_STREAMS_FAULTS_LONG=1</c> for the long variant).
/// </summary>
public static class FaultSettings
{
    public const string SeedVariable = "DURABLE_STREAMS_FAULTS_SEED";
    public const string LongVariable = "DURABLE_STREAMS_FAULTS_LONG";

    private static readonly Lazy<int> BaseSeed = new(() =>
    {
        var text = Environment.GetEnvironmentVariable(SeedVariable);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : Random.Shared.Next(1, int.MaxValue);
    });

    /// <summary>The run's seed; every scenario derives its own from it and its name.</summary>
    public static int Seed => BaseSeed.Value;

    /// <summary>True for the long variant (100,000 messages per producer scenario).</summary>
    public static bool Long => Environment.GetEnvironmentVariable(LongVariable) is "1" or "true";

    /// <summary>Messages per producer scenario: 20,000 in CI, 100,000 in the long variant.</summary>
    public static int ProducerMessages => Long ? 100_000 : 20_000;

    /// <summary>Messages per caller in the concurrent batched-append scenario (50 callers).</summary>
    public static int MessagesPerCaller => Long ? 2_000 : 100;

    /// <summary>
    /// A seed for one scenario, stable for a given run seed and scenario name, and printed with the command that
    /// replays it.
    /// </summary>
    public static Random RandomFor(string scenario, out int seed)
    {
        seed = Derive(scenario);
        Log($"[faults] scenario '{scenario}': run seed {Seed} (replay: {SeedVariable}={Seed}), scenario seed {seed}, long={Long}");
        return new Random(seed);
    }

    public static int Derive(string scenario)
    {
        var hash = 17;
        foreach (var c in scenario) hash = unchecked(hash * 31 + c);
        return unchecked(Seed ^ hash) & int.MaxValue;
    }

    /// <summary>Writes to the running test's output (shown for failures) and to the console.</summary>
    public static void Log(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.WriteLine(line);
    }
}
