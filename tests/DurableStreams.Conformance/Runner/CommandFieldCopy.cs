using System.Text.Json.Nodes;
using DurableStreams.Conformance.Yaml;

namespace DurableStreams.Conformance.Runner;

internal static class CommandFieldCopy
{
    /// <summary>Copies the named fields the step has into the command, unchanged; absent or null ones are left out.</summary>
    public static JsonObject CopyFrom(this JsonObject command, CaseStep step, params string[] fields)
    {
        foreach (var field in fields)
        {
            if (step[field] is { } value)
            {
                command[field] = value.DeepClone();
            }
        }

        return command;
    }
}
