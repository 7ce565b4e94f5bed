namespace DurableStreams.State;

/// <summary>
/// Adds a typed collection of <typeparamref name="TEntity"/> entities, a property called <see cref="Name"/>,
/// to a <see cref="DurableStateAttribute"/> class. Apply it once per entity type.
/// </summary>
/// <typeparam name="TEntity">A type marked with <see cref="StateEntityAttribute"/>.</typeparam>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class StateCollectionAttribute<TEntity> : Attribute
{
    /// <summary>Declares the collection property <paramref name="name"/>.</summary>
    public StateCollectionAttribute(string name)
    {
        Name = name;
    }

    /// <summary>The name of the generated collection property.</summary>
    public string Name { get; }
}
