namespace DurableStreams;

/// <summary>
/// Declares that the annotated type is the message type of a durable stream. The DurableStreams source
/// generator then emits a typed stream class, <c>{TypeName}Stream</c>, in the same namespace.
/// </summary>
/// <remarks>
/// The URL template is either absolute (<c>https://host/v1/stream/orders</c>) or relative to the client's
/// base address (<c>orders/{tenant}</c>). Each <c>{name}</c> placeholder becomes a string parameter of
/// the generated factory methods, URL-escaped when substituted. The JSON metadata comes from a
/// <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> that lists the type with
/// <see cref="System.Text.Json.Serialization.JsonSerializableAttribute"/>: the one named by
/// <see cref="JsonContext"/>, or else the one in the same project that lists it.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class DurableStreamAttribute : Attribute
{
    /// <summary>Declares a stream at <paramref name="urlTemplate"/>.</summary>
    public DurableStreamAttribute(string urlTemplate)
    {
        UrlTemplate = urlTemplate;
    }

    /// <summary>The stream's URL template, as written.</summary>
    public string UrlTemplate { get; }

    /// <summary>
    /// The <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> to encode messages with.
    /// Optional when exactly the right context is the only one in the project listing the type.
    /// </summary>
    public Type? JsonContext { get; set; }
}
