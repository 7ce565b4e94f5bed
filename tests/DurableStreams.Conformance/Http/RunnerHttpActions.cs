namespace DurableStreams.Conformance.Http;

/// <summary>The runner-direct actions, sharing one HTTP client aimed at the reference server.</summary>
internal sealed class RunnerHttpActions(HttpClient http, string serverBaseUrl)
{
    public ServerAppend ServerAppend { get; } = new(http, serverBaseUrl);

    public ServerClose ServerClose { get; } = new(http, serverBaseUrl);

    public FaultInjection Faults { get; } = new(http, serverBaseUrl);
}
