using System.Text.Json.Nodes;

namespace DurableStreams.Conformance.Runner;

/// <summary>
/// A step could not be carried out (runner-level error, adapter failure, HTTP failure). Carries
/// what was sent so the case's failure message can show it.
/// </summary>
internal sealed class StepFailedException(string message, JsonObject? sent = null, Exception? innerException = null)
    : Exception(message, innerException)
{
    public JsonObject? Sent { get; } = sent;
}
