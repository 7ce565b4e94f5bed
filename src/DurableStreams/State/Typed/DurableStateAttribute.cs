namespace DurableStreams.State;

/// <summary>
/// Declares that the annotated partial class is the typed state of the durable streams at a URL template.
/// The DurableStreams source generator completes the class: it derives from <c>DurableState</c>, has
/// one typed collection per <see cref="StateCollectionAttribute{TEntity}"/>, and static <c>For</c>,
/// <c>ConnectAsync</c> and <c>UrlFor</c> methods taking one string per <c>{name}</c> placeholder.
/// </summary>
/// <remarks>
/// The template is absolute (<c>https://host/v1/stream/presence</c>) or relative to the client's base address
/// (<c>presence/{site}</c>), as for <see cref="DurableStreamAttribute"/>. Each entity's JSON metadata comes from
/// a <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> listing it with
/// <see cref="System.Text.Json.Serialization.JsonSerializableAttribute"/>: the one named by
/// <see cref="JsonContext"/>, or else the first (by full name) in the project that lists it.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DurableStateAttribute : Attribute
{
    /// <summary>Declares typed state over the stream at <paramref name="urlTemplate"/>.</summary>
    public DurableStateAttribute(string urlTemplate)
    {
        UrlTemplate = urlTemplate;
    }

    /// <summary>The stream's URL template, as written.</summary>
    public string UrlTemplate { get; }

    /// <summary>
    /// The <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> that encodes every entity of the
    /// state; it must list each one. Optional: without it, each entity uses the first context listing it.
    /// </summary>
    public Type? JsonContext { get; init; }
}
