namespace DurableStreams.Generators.Model;

/// <summary>A user-written <c>JsonSerializerContext</c> the generated code can reference, and the types it lists.</summary>
/// <param name="TypeName">The context type, <c>global::</c>-qualified.</param>
/// <param name="ListedTypes">The types named by its <c>[JsonSerializable]</c> attributes, <c>global::</c>-qualified.</param>
internal sealed record JsonContextSpec(string TypeName, EquatableArray<string> ListedTypes);
