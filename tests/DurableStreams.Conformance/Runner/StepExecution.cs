using System.Text.Json.Nodes;

namespace DurableStreams.Conformance.Runner;

/// <summary>What executing one step produced, for the verdict and for failure messages.</summary>
internal sealed class StepExecution
{
    /// <summary>For steps that yield nothing to check (wait, set, assert, inject-error, background read start).</summary>
    public static readonly StepExecution NoResult = new();

    /// <summary>The adapter command, or a description of the runner's HTTP request.</summary>
    public JsonObject? Sent { get; init; }

    /// <summary>The result object that <c>expect</c> is checked against, if the step has one.</summary>
    public JsonObject? Result { get; init; }

    /// <summary>The result came from the adapter, so the strict success/failure rule applies to it.</summary>
    public bool ResultFromAdapter { get; init; }

    /// <summary><c>append-batch</c> only: each item's append command and result, in item order.</summary>
    public IReadOnlyList<AdapterExchange> BatchItems { get; init; } = [];
}
