using DurableStreams.Server.Storage;

namespace DurableStreams.Server.Tests;

/// <summary>Idempotent producer rules of §5.2.1, checked against the store the endpoints use.</summary>
public sealed class ProducerRuleTests : IDisposable
{
    private readonly MemoryStreamStore _store = new(TimeProvider.System);

    public ProducerRuleTests() => _store.CreateText("/p");

    public void Dispose() => _store.Dispose();

    private AppendOutcome Send(long epoch, long seq, string body = "x", bool close = false, string id = "w") =>
        _store.AppendText("/p", body, new ProducerClaim(id, epoch, seq), close);

    [Fact]
    public void Consecutive_sequences_are_accepted_and_retries_are_duplicates_without_new_data()
    {
        Assert.Equal(AppendStatus.Appended, Send(0, 0, "a").Status);
        Assert.Equal(AppendStatus.Appended, Send(0, 1, "b").Status);

        var retry = Send(0, 0, "a");
        Assert.Equal(AppendStatus.Duplicate, retry.Status);
        Assert.Equal(1, retry.ProducerValue);
        Assert.Equal("ab", _store.ReadText("/p"));
    }

    [Fact]
    public void A_gap_is_a_conflict_that_names_the_expected_sequence()
    {
        Send(0, 0);
        var gap = Send(0, 5);

        Assert.Equal(AppendStatus.SequenceGap, gap.Status);
        Assert.Equal(1, gap.ProducerValue);
        Assert.Equal(5, gap.ReceivedSeq);
    }

    [Fact]
    public void A_new_producer_must_start_at_sequence_zero()
    {
        var outcome = Send(0, 3);

        Assert.Equal(AppendStatus.SequenceGap, outcome.Status);
        Assert.Equal(0, outcome.ProducerValue);
    }

    [Fact]
    public void A_higher_epoch_fences_the_old_one_and_must_start_at_zero()
    {
        Send(0, 0);
        Assert.Equal(AppendStatus.InvalidEpochSeq, Send(1, 1).Status);
        Assert.Equal(AppendStatus.Appended, Send(1, 0).Status);

        var zombie = Send(0, 1);
        Assert.Equal(AppendStatus.StaleEpoch, zombie.Status);
        Assert.Equal(1, zombie.ProducerValue);
    }

    [Fact]
    public void Producers_are_tracked_independently()
    {
        Send(0, 0, id: "a");
        Assert.Equal(AppendStatus.Appended, Send(0, 0, id: "b").Status);
        Assert.Equal(AppendStatus.Appended, Send(0, 1, id: "a").Status);
    }

    [Fact]
    public void Retrying_the_closing_append_is_a_duplicate_and_anything_else_after_close_conflicts()
    {
        Send(0, 0, "a");
        Assert.Equal(AppendStatus.Appended, Send(0, 1, "end", close: true).Status);

        var retry = Send(0, 1, "end", close: true);
        Assert.Equal(AppendStatus.Duplicate, retry.Status);
        Assert.True(retry.StreamClosed);
        Assert.Equal(AppendStatus.StreamClosed, Send(0, 2, "more").Status);
        Assert.Equal("aend", _store.ReadText("/p"));
    }

    [Fact]
    public void A_rejected_body_does_not_advance_the_producer()
    {
        _store.CreateJson("/j");
        var claim = new ProducerClaim("w", 0, 0);
        Assert.Equal(AppendStatus.InvalidJson, _store.AppendText("/j", "{bad", claim, contentType: "application/json").Status);
        Assert.Equal(AppendStatus.Appended, _store.AppendText("/j", "1", claim, contentType: "application/json").Status);
    }

    [Fact]
    public void On_a_json_stream_every_refusal_before_the_body_wins_over_invalid_json()
    {
        _store.CreateJson("/j");
        var json = "application/json";
        Assert.Equal(AppendStatus.Appended, _store.AppendText("/j", "[1,2]", new ProducerClaim("w", 1, 0), contentType: json).Status);

        var gap = _store.AppendText("/j", "{bad", new ProducerClaim("w", 1, 3), contentType: json);
        Assert.Equal((AppendStatus.SequenceGap, 1L, 3L), (gap.Status, gap.ProducerValue, gap.ReceivedSeq));
        var stale = _store.AppendText("/j", "{bad", new ProducerClaim("w", 0, 1), contentType: json);
        Assert.Equal((AppendStatus.StaleEpoch, 1L), (stale.Status, stale.ProducerValue));
        var duplicate = _store.AppendText("/j", "{bad", new ProducerClaim("w", 1, 0), contentType: json);
        Assert.Equal((AppendStatus.Duplicate, 0L), (duplicate.Status, duplicate.ProducerValue));
        Assert.Equal(AppendStatus.InvalidEpochSeq, _store.AppendText("/j", "{bad", new ProducerClaim("w", 2, 1), contentType: json).Status);

        Assert.Equal(AppendStatus.Appended, _store.Append("/j", new AppendRequest(json, "3"u8.ToArray(), false, "b", null)).Status);
        Assert.Equal(AppendStatus.SeqConflict, _store.Append("/j", new AppendRequest(json, "{bad"u8.ToArray(), false, "a", null)).Status);
        Assert.Equal(AppendStatus.ContentTypeMismatch, _store.AppendText("/p", "{bad", contentType: json).Status);

        // Accepted up to the body: only then is the JSON checked, and the producer does not advance.
        Assert.Equal(AppendStatus.InvalidJson, _store.AppendText("/j", "{bad", new ProducerClaim("w", 1, 1), contentType: json).Status);
        Assert.Equal(AppendStatus.Appended, _store.AppendText("/j", "[4]", new ProducerClaim("w", 1, 1), contentType: json).Status);
        Assert.Equal(AppendStatus.Appended, _store.AppendText("/j", "5", new ProducerClaim("w", 1, 2), contentType: json, close: true).Status);
        var closed = _store.AppendText("/j", "{bad", new ProducerClaim("w", 1, 3), contentType: json);
        Assert.Equal((AppendStatus.StreamClosed, true), (closed.Status, closed.StreamClosed));
        var closingRetry = _store.AppendText("/j", "{bad", new ProducerClaim("w", 1, 2), contentType: json);
        Assert.Equal((AppendStatus.Duplicate, true), (closingRetry.Status, closingRetry.StreamClosed));
        Assert.Equal("[1,2,3,4,5]", _store.ReadBody("/j"));
    }
}
