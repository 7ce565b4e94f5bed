using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Always in process: BenchmarkDotNet's generated side project would not build under this repo's
// central package management and warnings-as-errors. BenchmarkDotNet's own arguments pass through
// (e.g. --filter '*Decoding*' --job short); reports go under artifacts/ (git-ignored) unless told otherwise.
var arguments = new List<string>(args);
if (!arguments.Contains("--inProcess", StringComparer.OrdinalIgnoreCase)) arguments.Add("--inProcess");
if (!arguments.Contains("--artifacts", StringComparer.OrdinalIgnoreCase)) arguments.AddRange(["--artifacts", "artifacts/benchmarks"]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. arguments], DefaultConfig.Instance.WithOptions(ConfigOptions.JoinSummary));
