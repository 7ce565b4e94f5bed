using System.Text;
using System.Text.Json.Nodes;
using DurableStreams.Conformance.Expectations;
using DurableStreams.Conformance.Json;
using DurableStreams.Conformance.Yaml;

namespace DurableStreams.Conformance.Runner;

/// <summary>
/// Runs one case (setup, operations, then cleanup if everything passed) and reaches the strict
/// verdict: every setup and operation step must execute, succeed or fail as its <c>expect</c> says,
/// and meet every checked <c>expect</c> key. Cleanup is best effort.
/// </summary>
internal sealed class CaseRunner(StepExecutor executor)
{
    private const int MaxJsonInMessage = 2000;

    public async Task<CaseOutcome> RunAsync(ConformanceCase testCase, CaseLog log, CancellationToken cancellationToken)
    {
        executor.BeginCase(log);
        string? failure;
        try
        {
            failure = await RunCheckedStepsAsync(testCase.Key, testCase.Setup.Concat(testCase.Operations), log, cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            await executor.EndCaseAsync().ConfigureAwait(false);
        }

        if (failure is not null)
        {
            return CaseOutcome.Failed(failure);
        }

        await RunCleanupAsync(testCase.Cleanup, log, cancellationToken).ConfigureAwait(false);
        return CaseOutcome.Passed;
    }

    private async Task<string?> RunCheckedStepsAsync(string caseKey, IEnumerable<CaseStep> steps, CaseLog log, CancellationToken cancellationToken)
    {
        foreach (var step in steps)
        {
            log.Write($"{step}");
            StepExecution execution;
            try
            {
                execution = await executor.ExecuteAsync(step, cancellationToken).ConfigureAwait(false);
            }
            catch (StepFailedException ex)
            {
                return Describe(step, ex.Message, ex.Sent, received: null);
            }
            catch (UndefinedVariableException ex)
            {
                return Describe(step, ex.Message, sent: null, received: null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A runner bug or an environment failure; still say which step it hit.
                return Describe(step, $"unexpected {ex.GetType().Name}: {ex.Message}", sent: null, received: null);
            }

            if (Judge(caseKey, step, execution) is { } problem)
            {
                return Describe(step, problem.Mismatch.ToString(), problem.Sent, problem.Received);
            }
        }

        return null;
    }

    private static (ExpectationMismatch Mismatch, JsonObject? Sent, JsonObject? Received)? Judge(string caseKey, CaseStep step, StepExecution execution)
    {
        if (execution.Result is not { } result)
        {
            return null; // nothing to check: wait, set, assert, inject-error, clear-errors, background read start
        }

        for (var i = 0; i < execution.BatchItems.Count; i++)
        {
            var item = execution.BatchItems[i];
            if (StrictOutcomeRule.CheckBatchItem(step.Expect, i, item.Result) is { } itemMismatch)
            {
                return (itemMismatch, item.Command, item.Result);
            }
        }

        if (execution.ResultFromAdapter && DocumentedAlternatives.Accepts(caseKey, step, result))
        {
            return null;
        }

        if (execution.ResultFromAdapter && DeliberateDeviations.Accepts(caseKey, step, result))
        {
            return null;
        }

        if (execution.ResultFromAdapter && StrictOutcomeRule.Check(step.Expect, result) is { } outcomeMismatch)
        {
            return (outcomeMismatch, execution.Sent, result);
        }

        return ExpectationMatcher.Check(step.Expect, result) is { } mismatch
            ? (mismatch, execution.Sent, result)
            : null;
    }

    private async Task RunCleanupAsync(IReadOnlyList<CaseStep> cleanup, CaseLog log, CancellationToken cancellationToken)
    {
        foreach (var step in cleanup)
        {
            log.Write($"{step} (best effort)");
            try
            {
                await executor.ExecuteAsync(step, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                log.Write($"cleanup step failed, ignored: {ex.Message}");
            }
        }

        await executor.EndCaseAsync().ConfigureAwait(false);
    }

    private static string Describe(CaseStep step, string reason, JsonObject? sent, JsonObject? received)
    {
        var message = new StringBuilder().Append(step).Append(": ").Append(reason);
        if (sent is not null)
        {
            message.Append("\n  sent:     ").Append(Abbreviate(CompactJson.Stringify(sent)));
        }

        if (received is not null)
        {
            message.Append("\n  received: ").Append(Abbreviate(CompactJson.Stringify(received)));
        }

        return message.ToString();
    }

    private static string Abbreviate(string json) =>
        json.Length <= MaxJsonInMessage ? json : $"{json[..MaxJsonInMessage]}… ({json.Length - MaxJsonInMessage} more characters)";
}
