namespace DurableStreams.State;

/// <summary>
/// Declares that the annotated type is an entity of typed state: its values are the <c>value</c> of State
/// Protocol change messages whose <c>type</c> is <see cref="Type"/>. Mark its primary key with
/// <see cref="StateKeyAttribute"/>, and list it in a state class with <see cref="StateCollectionAttribute{TEntity}"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class StateEntityAttribute : Attribute
{
    /// <summary>Declares an entity whose change messages carry the protocol type <paramref name="type"/>.</summary>
    public StateEntityAttribute(string type)
    {
        Type = type;
    }

    /// <summary>The protocol <c>type</c> of this entity's change messages, as written.</summary>
    public string Type { get; }
}
