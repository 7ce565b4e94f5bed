using DurableStreams;
using Microsoft.Extensions.Options;

namespace DurableStreams.Extensions.Hosting.Configuration;

/// <summary>Runs the client's own checks when the options are first used, or at start-up with ValidateOnStart.</summary>
internal sealed class ClientOptionsValidator : IValidateOptions<DurableStreamClientOptions>
{
    public ValidateOptionsResult Validate(string? name, DurableStreamClientOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            var client = string.IsNullOrEmpty(name) ? "the default Durable Streams client" : $"the Durable Streams client '{name}'";
            return ValidateOptionsResult.Fail($"Invalid options for {client}: {ex.Message}");
        }
    }
}
