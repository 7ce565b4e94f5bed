namespace DurableStreams.Conformance.Runner;

/// <summary>A <c>${name}</c> referred to a variable no earlier step stored.</summary>
internal sealed class UndefinedVariableException(string message) : Exception(message);
