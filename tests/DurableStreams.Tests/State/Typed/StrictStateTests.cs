using DurableStreams.State;
using static DurableStreams.Tests.State.StateTestSupport;
using static DurableStreams.Tests.State.Typed.TypedStateSupport;

namespace DurableStreams.Tests.State.Typed;

public sealed class StrictStateTests
{
    [Theory]
    [InlineData("{'id':1}")]                  // a required constructor parameter missing
    [InlineData("{'id':1,'label':null}")]     // null for a non-nullable string
    public void A_strict_context_turns_missing_or_null_fields_into_schema_mismatches(string value)
    {
        using var fake = RecordingClient();
        var state = StrictState.For(fake.Client, "s");

        var error = Assert.Throws<StateProtocolException>(() => state.View.Apply(Insert("badge", "1", value)));

        Assert.Equal(StateErrorReason.SchemaMismatch, error.Reason);
        Assert.Empty(state.Badges);
        state.View.Apply(Insert("badge", "1", "{'id':1,'label':'ok'}"));
        Assert.Equal("ok", state.Badges[1].Label);
    }

    [Fact]
    public async Task An_entity_that_would_not_read_back_as_itself_is_refused_before_any_request()
    {
        using var fake = RecordingClient();
        var state = StrictState.For(fake.Client, "w");

        var error = await Assert.ThrowsAsync<StateProtocolException>(() => state.Ghosts.InsertAsync(new Ghost("g1", "boo")));
        Assert.Equal((StateErrorReason.KeyMismatch, "ghost", "g1"), (error.Reason, error.EntityType, error.Key));
        Assert.Throws<StateProtocolException>(() => state.BeginTransaction().Upsert(state.Ghosts, new Ghost("g2", "x")));

        Assert.Empty(fake.Handler.Requests);
        await state.Ghosts.DeleteAsync("g1"); // a delete carries no value: nothing to read back
        Assert.Single(fake.Handler.Posts);
    }
}
