using DurableStreams.Producers;

namespace DurableStreams.Tests.Producers;

public sealed class PipelineWindowTests
{
    [Fact]
    public void Starts_at_the_maximum()
    {
        Assert.Equal(8, new PipelineWindow(8).Size);
    }

    [Fact]
    public void A_reordering_halves_the_window_down_to_one()
    {
        var window = new PipelineWindow(8);
        long next = 10;
        foreach (var expected in new[] { 4, 2, 1, 1 })
        {
            window.Reordered(seq: next, nextSeq: next + 1);
            next += 2;
            Assert.Equal(expected, window.Size);
        }
    }

    [Fact]
    public void Batches_refused_together_in_one_reordering_halve_the_window_once()
    {
        var window = new PipelineWindow(8);
        // Seqs 3..7 were in flight when seq 3 was refused; 8 is the next to be numbered.
        window.Reordered(seq: 3, nextSeq: 8);
        window.Reordered(seq: 5, nextSeq: 8);
        window.Reordered(seq: 7, nextSeq: 9);
        Assert.Equal(4, window.Size);

        window.Reordered(seq: 9, nextSeq: 12); // sent after the halving: a new reordering
        Assert.Equal(2, window.Size);
    }

    [Fact]
    public void In_order_completions_widen_the_window_one_step_at_a_time_up_to_the_maximum()
    {
        var window = new PipelineWindow(4);
        window.Reordered(seq: 0, nextSeq: 1);
        Assert.Equal(2, window.Size);

        for (var i = 1; i < 2 * PipelineWindow.CompletionsPerStep; i++) window.CompletedInOrder();
        Assert.Equal(2, window.Size);
        window.CompletedInOrder();
        Assert.Equal(3, window.Size);

        for (var i = 0; i < 100; i++) window.CompletedInOrder();
        Assert.Equal(4, window.Size);
    }

    [Fact]
    public void A_reordering_restarts_the_count_towards_widening()
    {
        var window = new PipelineWindow(8);
        window.Reordered(seq: 0, nextSeq: 1); // 4
        for (var i = 1; i < 4 * PipelineWindow.CompletionsPerStep; i++) window.CompletedInOrder();
        window.Reordered(seq: 1, nextSeq: 2); // 2, count restarted
        for (var i = 1; i < 2 * PipelineWindow.CompletionsPerStep; i++) window.CompletedInOrder();
        Assert.Equal(2, window.Size);
    }

    [Fact]
    public void A_new_epoch_numbers_from_zero_so_its_first_reordering_counts()
    {
        var window = new PipelineWindow(8);
        window.Reordered(seq: 40, nextSeq: 50);
        window.NewEpoch();
        window.Reordered(seq: 1, nextSeq: 3);
        Assert.Equal(2, window.Size);
    }
}
