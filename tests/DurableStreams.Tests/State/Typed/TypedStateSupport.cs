using System.Text;
using DurableStreams.State;
using DurableStreams.Tests.Support;

namespace DurableStreams.Tests.State.Typed;

internal static class TypedStateSupport
{
    /// <summary>A state over a client that must not be used for I/O (reads apply messages to <see cref="DurableState.View"/> directly).</summary>
    public static PresenceState NewState(DurableStateOptions? options = null, string site = "unit") =>
        PresenceState.For(OfflineClient, site, options);

    private static readonly DurableStreamClient OfflineClient = new(new Uri("http://offline.invalid/v1/stream/"));

    /// <summary>Every entity of every typed collection, canonically ordered.</summary>
    public static string Show(PresenceState state)
    {
        var text = new StringBuilder();
        foreach (var (key, user) in state.Users.OrderBy(e => e.Key, StringComparer.Ordinal))
            text.Append($"user {key}={user.Name}/{user.Status};");
        foreach (var (key, room) in state.Rooms.OrderBy(e => e.Key))
            text.Append($"room {key}={room.Topic};");
        foreach (var (key, device) in state.Devices.OrderBy(e => e.Key))
            text.Append($"device {key}={device.Label};");
        return text.ToString();
    }

    public static string UserJson(string id, string name, string status = "online") => $"{{'id':'{id}','name':'{name}','status':'{status}'}}";

    public static string RoomJson(int number, string topic) => $"{{'number':{number},'topic':'{topic}'}}";

    /// <summary>Records a collection's notifications as text: reason, then kind key entity&lt;-previous per change.</summary>
    public static List<string> Record<TKey, TEntity>(StateEntityCollection<TKey, TEntity> collection, Func<TEntity, string> show) where TKey : notnull
    {
        var seen = new List<string>();
        collection.Changed += (_, e) => seen.Add($"{e.Reason}:" + string.Join(",", e.Changes.Select(c =>
            $"{c.Kind} {c.Key} {(c.Entity is null ? "-" : show(c.Entity))}<-{(c.PreviousEntity is null ? "-" : show(c.PreviousEntity))}")));
        return seen;
    }

    public static FakeClient RecordingClient() =>
        new(new FakeHttpHandler(r => r.IsPost ? Respond.Appended($"0000_{r.Index:D4}") : Respond.Status(System.Net.HttpStatusCode.OK)));
}
