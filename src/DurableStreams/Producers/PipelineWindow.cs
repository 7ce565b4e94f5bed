namespace DurableStreams.Producers;

/// <summary>
/// How many batches a producer keeps in flight, between 1 and its MaxInFlight. Pipelined bodies that
/// the server reads out of order come back as sequence gaps (409) and are resent, each costing the
/// server a body read and the client a round trip. A reordering halves the window; a run of in-order
/// completions widens it by one, so the producer settles at the depth the server and link take
/// without refusals (additive increase, multiplicative decrease). Guarded by the producer's lock.
/// </summary>
internal sealed class PipelineWindow
{
    // In-order completions needed per batch of window before it widens: probing a depth that just
    // reordered again at once would only refuse more batches.
    internal const int CompletionsPerStep = 4;

    private readonly int _max;
    // A gap on a batch numbered below this came from the reordering already answered by a halving:
    // every batch in flight then tends to be refused together, and one episode shrinks the window once.
    private long _episodeEnd;
    private int _inOrder;

    public PipelineWindow(int max)
    {
        _max = max;
        Size = max;
    }

    public int Size { get; private set; }

    /// <summary>A batch numbered <paramref name="seq"/> overtook an earlier one; <paramref name="nextSeq"/> is the next to be numbered.</summary>
    public void Reordered(long seq, long nextSeq)
    {
        if (seq < _episodeEnd) return;
        Size = Math.Max(1, Size / 2);
        _episodeEnd = nextSeq;
        _inOrder = 0;
    }

    /// <summary>A batch was stored without being overtaken.</summary>
    public void CompletedInOrder()
    {
        if (Size >= _max || ++_inOrder < Size * CompletionsPerStep) return;
        Size++;
        _inOrder = 0;
    }

    /// <summary>Sequence numbers start again at 0 under a new epoch.</summary>
    public void NewEpoch() => _episodeEnd = 0;
}
