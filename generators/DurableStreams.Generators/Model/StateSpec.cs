namespace DurableStreams.Generators.Model;

/// <summary>
/// What one <c>[DurableState]</c> declaration asks for, as plain values (type names <c>global::</c>-qualified),
/// so that equal declarations give equal specs and the pipeline stays cached.
/// </summary>
/// <param name="HintName">The generated file's name, unique per state class.</param>
/// <param name="Namespace">The class's namespace; empty for the global namespace.</param>
/// <param name="ContainingTypes">The declarations of the types it is nested in, outermost first (<c>partial class Outer</c>).</param>
/// <param name="ClassName">The state class's name.</param>
/// <param name="Accessibility">Its accessibility as declared (<c>public</c>, <c>internal</c>, ...).</param>
/// <param name="Url">The stream's URL template.</param>
/// <param name="NamedJsonContext">The context named with <c>JsonContext = typeof(...)</c>, if any.</param>
/// <param name="Collections">The collections, in the order of their attributes.</param>
internal sealed record StateSpec(
    string HintName,
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string ClassName,
    string Accessibility,
    UrlTemplate Url,
    string? NamedJsonContext,
    EquatableArray<StateCollectionSpec> Collections)
{
    /// <summary>The state class, <c>global::</c>-qualified.</summary>
    public string FullName { get; } = "global::" + (Namespace.Length == 0 ? "" : Namespace + ".")
        + string.Concat(System.Linq.Enumerable.Select(ContainingTypes, static d => d.Substring(d.LastIndexOf(' ') + 1) + ".")) + ClassName;
}

/// <summary>One <c>[StateCollection&lt;TEntity&gt;("Name")]</c> of a state class.</summary>
/// <param name="Name">The collection property's name.</param>
/// <param name="EntityType">The entity type.</param>
/// <param name="ProtocolType">The entity's protocol <c>type</c>, from <c>[StateEntity]</c>.</param>
/// <param name="KeyType">The type of its <c>[StateKey]</c> (<c>string</c>, <c>int</c>, <c>global::System.Guid</c>, ...).</param>
/// <param name="KeyMember">The name of the key property.</param>
internal sealed record StateCollectionSpec(string Name, string EntityType, string ProtocolType, string KeyType, string KeyMember);

/// <summary>A state declaration with the JSON context of each collection (same order): all the emitter needs.</summary>
internal sealed record StateClassSpec(StateSpec State, EquatableArray<string> JsonContexts);
