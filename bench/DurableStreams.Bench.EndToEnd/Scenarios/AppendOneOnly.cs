using DurableStreams.Bench.EndToEnd.Harness;
using DurableStreams.Bench.EndToEnd.Reporting;
using DurableStreams.Testing;

namespace DurableStreams.Bench.EndToEnd.Scenarios;

/// <summary>
/// <c>--only append1</c>: the one-caller append row alone (each append awaited before the next), this SDK against
/// the upstream C# client in its own process, in the same round with the order alternating. Prints each round's
/// throughput, the SDK's CPU per append and the SDK/upstream ratio, then the medians with their spread. Only these
/// two clients run, so the noise of the other scenarios is left out.
/// </summary>
internal static class AppendOneOnly
{
    private const int WarmRounds = 3;

    public static async Task<int> RunAsync(BenchOptions options, ReferenceServer server, Dictionary<string, string> run)
    {
        var (driver, folder, missing) = await UpstreamDriver.StartAsync();
        try
        {
            if (driver is null)
            {
                Console.WriteLine("upstream C# client unavailable: " + missing);
                return 1;
            }
            using var client = new DurableStreamClient(server.BaseAddress);
            using var admin = new DurableStreamClient(server.BaseAddress);
            IClientScenarios sdk = new SdkScenarios(client), upstream = new DriverScenarios(driver, "upstream");
            var messages = options.SingleCallerMessages;
            Console.WriteLine($"append (1 caller) only: {messages} appends per client per round, SDK and upstream C#; {options.Rounds} rounds after {WarmRounds} warm-up rounds");

            var ratios = new List<double>();
            var sdkRates = new List<double>();
            var upstreamRates = new List<double>();
            var sdkCpu = new List<double>();
            var upstreamCpu = new List<double>();
            // CPU is each client process's own, all threads (thread-pool workers spinning for work included).
            Console.WriteLine("round  sdk msg/s  upstream msg/s  SDK/upstream  CPU us/append: sdk  upstream  load");
            for (var round = -WarmRounds; round < options.Rounds; round++)
            {
                var load = Report.Load();
                var sdkFirst = round % 2 == 0;
                WriteResult? ours = null, theirs = null;
                for (var turn = 0; turn < 2; turn++)
                {
                    var which = turn == 0 == sdkFirst ? sdk : upstream;
                    var url = server.BaseUrl + $"/bench/append-one-only-{which.Name}-{round + WarmRounds}";
                    await admin.CreateStreamAsync(url, new CreateStreamOptions { ContentType = "application/json" });
                    var result = await which.AppendAsync(url, messages, 1);
                    if (which == sdk) ours = result;
                    else theirs = result;
                }
                if (round < 0) continue;
                var sdkRate = messages / (ours!.WallMs / 1000);
                var upstreamRate = messages / (theirs!.WallMs / 1000);
                sdkRates.Add(sdkRate);
                upstreamRates.Add(upstreamRate);
                ratios.Add(sdkRate / upstreamRate);
                sdkCpu.Add(ours.CpuMs * 1000 / messages);
                upstreamCpu.Add(theirs.CpuMs * 1000 / messages);
                Console.WriteLine($"{round + 1,5}  {sdkRate,9:0}  {upstreamRate,14:0}  {sdkRate / upstreamRate,12:0.000}  {sdkCpu[^1],18:0.0}  {upstreamCpu[^1],8:0.0}  {load}");
            }
            Console.WriteLine($"SDK/upstream median {Stats.Median(ratios):0.000} (spread {ratios.Min():0.000} to {ratios.Max():0.000}, {ratios.Count} rounds); " +
                $"SDK {Stats.Median(sdkRates):0} msg/s, upstream {Stats.Median(upstreamRates):0} msg/s; CPU per append SDK {Stats.Median(sdkCpu):0.0} us, upstream {Stats.Median(upstreamCpu):0.0} us; load at end {Report.Load()}");
            return 0;
        }
        finally
        {
            if (driver is not null) await driver.DisposeAsync();
            UpstreamDriver.Delete(folder);
        }
    }
}
