using System.Text.Json.Serialization;
using DurableStreams.State;

namespace DurableStreams.Tests.State.Typed;

/// <summary>An entity whose key is not written to JSON: what a reader decodes never matches its message key.</summary>
public sealed record Ghost([property: JsonIgnore] string Id, string Text);

/// <summary>An entity read through a strict context (missing or null required fields fail to decode).</summary>
public sealed record Badge(int Id, string Label);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(Badge))]
internal sealed partial class StrictJson : JsonSerializerContext;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Ghost))]
internal sealed partial class LooseJson : JsonSerializerContext;

/// <summary>Shaped like generated code, each entity with its own JSON context (one strict, one loose).</summary>
public partial class StrictState : DurableState
{
    private StrictState(DurableStream stream, DurableStateOptions? options)
        : base(stream, options)
    {
        Ghosts = Register<string, Ghost>("ghost", LooseJson.Default, static entity => entity.Id);
        Badges = Register<int, Badge>("badge", StrictJson.Default, static entity => entity.Id);
    }

    public StateEntityCollection<string, Ghost> Ghosts { get; }

    public StateEntityCollection<int, Badge> Badges { get; }

    public static StrictState For(DurableStreamClient client, string name, DurableStateOptions? options = null) =>
        new(GetJsonStream(client, "strict/" + StreamTemplateValue.Escape(name, nameof(name))), options);
}
