using System.Text.Json.Nodes;
using DurableStreams.ConformanceAdapter.Protocol;

namespace DurableStreams.ConformanceAdapter.Commands;

/// <summary>Validates option objects by constructing them, reporting the offending option by its suite name.</summary>
internal static class ValidateCommand
{
    public static JsonObject Run(JsonObject command)
    {
        if (command["target"] is not JsonObject target)
            return Results.Error("validate", "INVALID_ARGUMENT", "validate needs a target object.");
        try
        {
            switch (target.String("target"))
            {
                case "retry-options":
                    var retry = new RetryOptions();
                    if (target.Int64("maxRetries") is { } maxRetries) retry.MaxRetries = (int)maxRetries;
                    if (target.Double("initialDelayMs") is { } initial) retry.InitialDelay = TimeSpan.FromMilliseconds(initial);
                    if (target.Double("maxDelayMs") is { } max) retry.MaxDelay = TimeSpan.FromMilliseconds(max);
                    if (target.Double("multiplier") is { } multiplier) retry.Multiplier = multiplier;
                    retry.Validate();
                    break;
                case "idempotent-producer":
                    var producer = new IdempotentProducerOptions { ProducerId = target.String("producerId") ?? "test-producer" };
                    if (target.Int64("epoch") is { } epoch) producer.Epoch = epoch;
                    if (target.Int64("maxBatchBytes") is { } bytes) producer.MaxBatchBytes = (int)bytes;
                    if (target.Int64("maxBatchItems") is { } items) producer.MaxBatchItems = (int)items;
                    producer.Validate();
                    break;
                default:
                    return Results.Error("validate", "NOT_SUPPORTED", $"Unknown validate target '{target.String("target")}'.");
            }
        }
        catch (ArgumentException ex)
        {
            var option = SuiteName(ex.ParamName);
            return Results.Error("validate", "INVALID_ARGUMENT", $"Invalid {option}: {ex.Message}");
        }
        return Results.Success("validate");
    }

    /// <summary>The suite spells options in camelCase with units (initialDelayMs); the client uses .NET names.</summary>
    private static string SuiteName(string? paramName) => paramName switch
    {
        nameof(RetryOptions.MaxRetries) => "maxRetries",
        nameof(RetryOptions.InitialDelay) => "initialDelayMs",
        nameof(RetryOptions.MaxDelay) => "maxDelayMs",
        nameof(RetryOptions.Multiplier) => "multiplier",
        nameof(IdempotentProducerOptions.Epoch) => "epoch",
        nameof(IdempotentProducerOptions.MaxBatchBytes) => "maxBatchBytes",
        nameof(IdempotentProducerOptions.MaxBatchItems) => "maxBatchItems",
        nameof(IdempotentProducerOptions.ProducerId) => "producerId",
        null => "option",
        _ => char.ToLowerInvariant(paramName[0]) + paramName[1..],
    };
}
