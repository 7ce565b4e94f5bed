using System.Text.Json;
using DurableStreams.State;
using static DurableStreams.Tests.State.StateTestSupport;

namespace DurableStreams.Tests.State;

public sealed class StateViewTests
{
    [Fact]
    public void Materialises_the_protocol_example()
    {
        var view = new StateView();

        int applied = view.Apply($"[{Insert("user", "1", "{'name':'Alice'}")},{Insert("user", "2", "{'name':'Bob'}")},{Update("user", "1", "{'name':'Alice Smith'}")}]");

        Assert.Equal(3, applied);
        Assert.Equal("snapshot=False;user{1={\"name\":\"Alice Smith\"};2={\"name\":\"Bob\"};}", Fingerprint(view));
    }

    [Fact]
    public void Insert_stores_a_new_entity_and_reports_it_inserted()
    {
        var view = new StateView();
        var seen = Record(view);

        view.Apply(Insert("config", "theme", "'dark'"));

        Assert.True(view.TryGetValue("config", "theme", out var value));
        Assert.Equal("dark", value.GetString());
        var change = Assert.Single(Assert.Single(seen).Changes);
        Assert.Equal(StateChangeReason.Change, seen[0].Reason);
        Assert.Equal(("config", "theme", StateChangeKind.Inserted, "\"dark\"", "<absent>"),
            (change.Type, change.Key, change.Kind, Raw(change.Value), Raw(change.PreviousValue)));
    }

    [Fact]
    public void Update_replaces_the_value_and_reports_the_previous_one()
    {
        var view = new StateView();
        view.Apply(Insert("flag", "new-editor", "{'enabled':false}"));
        var seen = Record(view);

        view.Apply(Update("flag", "new-editor", "{'enabled':true}"));

        Assert.Equal("{\"enabled\":true}", view.Collection("flag")["new-editor"].GetRawText());
        var change = Assert.Single(Assert.Single(seen).Changes);
        Assert.Equal((StateChangeKind.Updated, "{\"enabled\":true}", "{\"enabled\":false}"), (change.Kind, Raw(change.Value), Raw(change.PreviousValue)));
    }

    [Fact]
    public void Upsert_inserts_a_missing_entity_and_updates_an_existing_one()
    {
        var view = new StateView();
        var seen = Record(view);

        view.Apply(Upsert("presence", "u1", "{'status':'online'}"));
        view.Apply(Upsert("presence", "u1", "{'status':'away'}"));

        Assert.Equal("{\"status\":\"away\"}", view.Collection("presence")["u1"].GetRawText());
        Assert.Equal([StateChangeKind.Inserted, StateChangeKind.Updated], seen.Select(e => Assert.Single(e.Changes).Kind));
    }

    [Fact]
    public void Insert_of_an_existing_key_and_update_of_a_missing_one_store_the_value_like_the_typescript_package()
    {
        var view = new StateView();
        var seen = Record(view);

        view.Apply(Update("user", "1", "{'v':1}"));
        view.Apply(Insert("user", "1", "{'v':2}"));

        Assert.Equal("{\"v\":2}", view.Collection("user")["1"].GetRawText());
        Assert.Equal([StateChangeKind.Inserted, StateChangeKind.Updated], seen.Select(e => Assert.Single(e.Changes).Kind));
    }

    [Fact]
    public void Delete_removes_the_entity_and_reports_what_it_held()
    {
        var view = new StateView();
        view.Apply(Insert("user", "1", "{'name':'A'}"));
        view.Apply(Insert("user", "2", "{'name':'B'}"));
        var seen = Record(view);

        view.Apply(Delete("user", "1"));

        Assert.False(view.TryGetValue("user", "1", out _));
        Assert.Equal(["2"], view.Collection("user").Keys);
        var change = Assert.Single(Assert.Single(seen).Changes);
        Assert.Equal((StateChangeKind.Deleted, "<absent>", "{\"name\":\"A\"}"), (change.Kind, Raw(change.Value), Raw(change.PreviousValue)));
    }

    [Fact]
    public void A_type_whose_last_entity_is_deleted_is_no_longer_listed()
    {
        var view = new StateView();
        view.Apply(Insert("a", "1", "1"));
        view.Apply(Insert("b", "1", "1"));

        view.Apply(Delete("a", "1"));

        Assert.Equal(["b"], view.Types);
        Assert.Empty(view.Collection("a"));
    }

    [Fact]
    public void Types_are_kept_apart()
    {
        var view = new StateView();

        view.Apply($"[{Insert("user", "1", "'u'")},{Insert("message", "1", "'m'")},{Insert("reaction", "1", "'r'")}]");

        Assert.Equal(["message", "reaction", "user"], view.Types.Order(StringComparer.Ordinal));
        Assert.Equal("m", view.Collection("message")["1"].GetString());
        Assert.Equal("u", view.Collection("user")["1"].GetString());
    }

    [Fact]
    public void A_collection_is_live_and_its_enumeration_is_a_stable_moment()
    {
        var view = new StateView();
        StateCollection users = view.Collection("user");
        Assert.Empty(users);
        Assert.Throws<KeyNotFoundException>(() => users["1"]);

        view.Apply(Insert("user", "1", "1"));
        view.Apply(Insert("user", "2", "2"));
        Assert.Equal(2, users.Count);
        Assert.True(users.ContainsKey("2"));

        var keys = new List<string>();
        foreach (var (key, _) in users)
        {
            keys.Add(key);
            view.Apply(Insert("user", key + "x", "0")); // applied while enumerating: not seen by this enumeration
        }
        Assert.Equal(2, keys.Count);
        Assert.Equal(4, users.Count);
    }

    [Fact]
    public void Values_outlive_the_document_they_were_read_from()
    {
        var view = new StateView();
        using (var doc = JsonDocument.Parse("""{"type":"t","key":"k","value":{"deep":[1,2]},"headers":{"operation":"insert"}}"""))
            view.Apply(doc.RootElement);

        Assert.Equal("{\"deep\":[1,2]}", view.Collection("t")["k"].GetRawText());
    }

    [Fact]
    public void Applies_a_message_built_in_code()
    {
        var view = new StateView();

        view.Apply(new ChangeMessage("config", "theme", ChangeOperation.Insert) { Value = Json("'light'") });
        view.Apply(new ChangeMessage("config", "theme", ChangeOperation.Delete));

        Assert.Empty(view.Types);
    }
}
