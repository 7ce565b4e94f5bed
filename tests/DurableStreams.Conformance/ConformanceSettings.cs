using System.Globalization;
using DurableStreams.Conformance.Adapter;
using DurableStreams.Testing;

namespace DurableStreams.Conformance;

/// <summary>Where the cases and the ratchet file are, and the knobs a run can be given through the environment.</summary>
internal sealed record ConformanceSettings
{
    /// <summary>Folder of YAML cases; default <c>../shared/conformance/test-cases</c> beside the repository.</summary>
    public const string CasesVariable = "DURABLE_STREAMS_CONFORMANCE_CASES";

    /// <summary>Alternative ratchet file, e.g. when driving another adapter.</summary>
    public const string KnownFailuresVariable = "DURABLE_STREAMS_CONFORMANCE_KNOWN_FAILURES";

    /// <summary>"1" rewrites the ratchet file from this run's results.</summary>
    public const string UpdateKnownFailuresVariable = "DURABLE_STREAMS_CONFORMANCE_UPDATE_KNOWN_FAILURES";

    /// <summary>Per-command limit in milliseconds (default 30000, as upstream's <c>--timeout</c>).</summary>
    public const string CommandTimeoutVariable = "DURABLE_STREAMS_CONFORMANCE_TIMEOUT_MS";

    /// <summary>Run against this server (e.g. the embedded .NET dev server) instead of starting the reference server.</summary>
    public const string ServerUrlVariable = "DURABLE_STREAMS_CONFORMANCE_SERVER_URL";

    private static readonly Lazy<ConformanceSettings> FromEnvironmentOnce = new(FromEnvironment);

    public required string CasesDirectory { get; init; }

    public required string KnownFailuresPath { get; init; }

    public required bool UpdateKnownFailures { get; init; }

    public required TimeSpan CommandTimeout { get; init; }

    public required string? AdapterOverride { get; init; }

    public required string? ServerUrl { get; init; }

    public static ConformanceSettings Current => FromEnvironmentOnce.Value;

    private static ConformanceSettings FromEnvironment()
    {
        var repositoryRoot = new Lazy<string>(() => RepositoryRoot.Locate());
        var timeoutText = Environment.GetEnvironmentVariable(CommandTimeoutVariable);
        return new ConformanceSettings
        {
            CasesDirectory = Path.GetFullPath(
                Variable(CasesVariable) ?? Path.Combine(repositoryRoot.Value, "..", "shared", "conformance", "test-cases")),
            KnownFailuresPath = Path.GetFullPath(
                Variable(KnownFailuresVariable)
                ?? Path.Combine(repositoryRoot.Value, "tests", "DurableStreams.Conformance", "known-failures.txt")),
            UpdateKnownFailures = Variable(UpdateKnownFailuresVariable) == "1",
            CommandTimeout = TimeSpan.FromMilliseconds(
                timeoutText is null ? 30_000 : int.Parse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture)),
            AdapterOverride = Variable(AdapterCommandLine.OverrideVariable),
            ServerUrl = Variable(ServerUrlVariable)?.TrimEnd('/'),
        };
    }

    private static string? Variable(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
