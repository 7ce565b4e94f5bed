using System.Text.Json.Serialization;
using DurableStreams.State;

namespace DurableStreams.Tests.State.Typed;

// The declaration a user writes (the [StateEntity]/[StateKey]/[DurableState]/[StateCollection] attributes are the
// generator's input; this file stands in for the generator's output, so the tests need no generator).
public sealed record User(string Id, string Name, string Status);

public sealed record Room(int Number, string Topic);

public sealed record Device(Guid Id, string Label);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(User))]
[JsonSerializable(typeof(Room))]
[JsonSerializable(typeof(Device))]
internal sealed partial class PresenceJson : JsonSerializerContext;

/// <summary>Hand-written exactly as the generator emits a <c>[DurableState("presence/{site}")]</c> class (see notes/state-contract.md).</summary>
[global::System.CodeDom.Compiler.GeneratedCode("DurableStreams.Generators", "test")]
public partial class PresenceState : global::DurableStreams.State.DurableState
{
    public const string UrlTemplate = "presence/{site}";

    private PresenceState(global::DurableStreams.DurableStream stream, global::DurableStreams.State.DurableStateOptions? options)
        : base(stream, options)
    {
        Users = Register<string, global::DurableStreams.Tests.State.Typed.User>("user", global::DurableStreams.Tests.State.Typed.PresenceJson.Default, static entity => entity.Id);
        Rooms = Register<int, global::DurableStreams.Tests.State.Typed.Room>("room", global::DurableStreams.Tests.State.Typed.PresenceJson.Default, static entity => entity.Number);
        Devices = Register<global::System.Guid, global::DurableStreams.Tests.State.Typed.Device>("device", global::DurableStreams.Tests.State.Typed.PresenceJson.Default, static entity => entity.Id);
    }

    /// <summary>The <c>user</c> entities.</summary>
    public global::DurableStreams.State.StateEntityCollection<string, global::DurableStreams.Tests.State.Typed.User> Users { get; }

    /// <summary>The <c>room</c> entities.</summary>
    public global::DurableStreams.State.StateEntityCollection<int, global::DurableStreams.Tests.State.Typed.Room> Rooms { get; }

    /// <summary>The <c>device</c> entities.</summary>
    public global::DurableStreams.State.StateEntityCollection<global::System.Guid, global::DurableStreams.Tests.State.Typed.Device> Devices { get; }

    public static global::DurableStreams.Tests.State.Typed.PresenceState For(global::DurableStreams.DurableStreamClient client, string site,
        global::DurableStreams.State.DurableStateOptions? options = null) => new(GetJsonStream(client, UrlFor(site)), options);

    public static global::System.Threading.Tasks.Task<global::DurableStreams.Tests.State.Typed.PresenceState> ConnectAsync(
        global::DurableStreams.DurableStreamClient client, string site, global::DurableStreams.State.DurableStateOptions? options = null,
        global::System.Threading.CancellationToken cancellationToken = default) =>
        VerifyExistsAsync(For(client, site, options), cancellationToken);

    public static string UrlFor(string site) => "presence/" + global::DurableStreams.StreamTemplateValue.Escape(site, nameof(site));
}
