using System.Text.Json;
using System.Text.Json.Serialization;
using DurableStreams.State;

namespace TypedState;

/// <summary>Who is around and what they are doing; the protocol <c>type</c> is "member", the key its id.</summary>
[StateEntity("member")]
public sealed record Member([StateKey] string Id, string Name, Presence Presence, string? Room = null);

/// <summary>A room; keys need not be strings (int, long, Guid and the other integers work too).</summary>
[StateEntity("room")]
public sealed record Room([StateKey] int Number, string Topic);

/// <summary>A small key-value store beside the entities: one setting per name.</summary>
[StateEntity("setting")]
public sealed record Setting([StateKey] string Name, string Value);

public enum Presence { Online, Away, Busy }

/// <summary>
/// The state stream: the URL template and one typed collection per entity. The generator writes the rest of the
/// class (the collections, <c>For</c>, <c>ConnectAsync</c>, <c>UrlFor</c>); it checks the declaration while you build.
/// </summary>
[DurableState("samples/state/{board}", JsonContext = typeof(BoardJson))]
[StateCollection<Member>("Members")]
[StateCollection<Room>("Rooms")]
[StateCollection<Setting>("Settings")]
public sealed partial class Board;

/// <summary>The JSON metadata of the entities, generated at build time: no reflection at run time.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Member))]
[JsonSerializable(typeof(Room))]
[JsonSerializable(typeof(Setting))]
internal sealed partial class BoardJson : JsonSerializerContext;
