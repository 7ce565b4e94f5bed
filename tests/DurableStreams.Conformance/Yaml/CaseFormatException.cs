namespace DurableStreams.Conformance.Yaml;

/// <summary>A case file is not valid YAML or lacks something the runner cannot do without (ids, actions).</summary>
internal sealed class CaseFormatException(string message) : Exception(message);
