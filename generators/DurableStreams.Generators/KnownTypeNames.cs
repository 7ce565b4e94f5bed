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
    public const string JsonSerializerContext = "System.Text.Json.Serialization.JsonSerializerContext";
    public const string JsonSerializableAttribute = "System.Text.Json.Serialization.JsonSerializableAttribute";
    public const string JsonDerivedTypeAttribute = "System.Text.Json.Serialization.JsonDerivedTypeAttribute";
}
