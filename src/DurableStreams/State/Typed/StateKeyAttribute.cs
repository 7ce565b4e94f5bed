namespace DurableStreams.State;

/// <summary>
/// Marks the primary key of a <see cref="StateEntityAttribute"/> type: a property, or a positional parameter
/// of a record. Its value is the protocol <c>key</c> of the entity's change messages, written as a string
/// (invariant culture; a <see cref="Guid"/> in the "D" format). Supported types: <see cref="string"/>,
/// <see cref="Guid"/>, <see cref="int"/>, <see cref="long"/>, <see cref="short"/>, <see cref="byte"/>,
/// <see cref="sbyte"/>, <see cref="ushort"/>, <see cref="uint"/>, <see cref="ulong"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class StateKeyAttribute : Attribute
{
}
