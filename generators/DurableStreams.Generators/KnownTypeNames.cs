namespace DurableStreams.Generators;

/// <summary>
/// Metadata names of the types the generator looks for. The generator cannot reference the runtime library
/// (it targets net10.0 and the compiler loads netstandard2.0), so it matches by name; a test pins these
/// against the real types.
/// </summary>
internal static class KnownTypeNames
{
    public const string DurableStreamAttribute = "DurableStreams.DurableStreamAttribute";
    public const string DurableStreamAttributeJsonContext = "JsonContext";
    public const string DurableStateAttribute = "DurableStreams.State.DurableStateAttribute";
    public const string DurableStateAttributeJsonContext = "JsonContext";
    public const string StateEntityAttribute = "DurableStreams.State.StateEntityAttribute";
    public const string StateKeyAttribute = "DurableStreams.State.StateKeyAttribute";

    /// <summary>The generic <c>StateCollectionAttribute&lt;TEntity&gt;</c>, by metadata name (with its arity).</summary>
    public const string StateCollectionAttribute = "DurableStreams.State.StateCollectionAttribute`1";

    /// <summary>The runtime base class of generated state classes.</summary>
    public const string DurableState = "DurableStreams.State.DurableState";
    public const string JsonSerializerContext = "System.Text.Json.Serialization.JsonSerializerContext";
    public const string JsonSerializableAttribute = "System.Text.Json.Serialization.JsonSerializableAttribute";
    public const string JsonDerivedTypeAttribute = "System.Text.Json.Serialization.JsonDerivedTypeAttribute";
}
