using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DurableStreams.Reading;

/// <summary>
/// Decodes the data payloads one SSE control event committed. A large delivery (an SSE catch-up from the
/// beginning commits the whole stream at once, one payload per stored message) is cut into groups of whole
/// payloads of about <see cref="SlicedBodyDecoder.SliceBytes"/>, decoded on more than one core; the messages keep
/// their order, and the delivery still fails as a whole, with the first invalid payload's error, before any of it
/// is handed out.
/// </summary>
internal static class SsePayloadDecoder
{
    public static async ValueTask<IAsyncEnumerator<T>> DecodeAsync<T>(IReadOnlyList<byte[]> payloads, JsonTypeInfo<T> typeInfo, Uri url, string offset,
        bool parallel)
    {
        var groups = parallel && Environment.ProcessorCount > 1 ? Groups(payloads) : null;
        if (groups is null)
        {
            var items = new List<T>();
            try
            {
                // Indexed, not foreach: foreach over the interface would allocate an enumerator per delivery.
                for (var i = 0; i < payloads.Count; i++) BatchDecoder.ParsePayloadInto(items, payloads[i], typeInfo);
            }
            catch (JsonException ex)
            {
                throw BatchDecoder.PayloadFailure(ex, url, offset);
            }
            return new ListItemEnumerator<T>(items);
        }

        // Every group but the first on the thread pool; the first here, meanwhile.
        var decoded = new Task<List<T>>[groups.Count];
        for (var g = 1; g < groups.Count; g++)
        {
            decoded[g] = DecodeOnPool(payloads, groups[g].From, groups[g].To, typeInfo);
        }
        var lists = new List<T>[groups.Count];
        Exception? failure = null;
        try
        {
            lists[0] = Decode(payloads, groups[0].From, groups[0].To, typeInfo);
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        for (var g = 1; g < groups.Count; g++)
        {
            try
            {
                lists[g] = await decoded[g].ConfigureAwait(false); // every task is awaited, so none fails unobserved
            }
            catch (Exception ex)
            {
                failure ??= ex; // the first failing group in order holds the first invalid payload
            }
        }
        if (failure is JsonException json) throw BatchDecoder.PayloadFailure(json, url, offset);
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        return new ListsItemEnumerator<T>(lists);
    }

    /// <summary>Contiguous payload ranges of about one slice each; null when the delivery is too small to be worth splitting.</summary>
    private static List<(int From, int To)>? Groups(IReadOnlyList<byte[]> payloads)
    {
        if (payloads.Count < 2) return null;
        long total = 0;
        for (var i = 0; i < payloads.Count; i++) total += payloads[i].Length;
        if (total < SlicedBodyDecoder.MinBodyBytes) return null;
        var groups = new List<(int, int)>();
        var start = 0;
        long size = 0;
        for (var i = 0; i < payloads.Count; i++)
        {
            size += payloads[i].Length;
            if (size < SlicedBodyDecoder.SliceBytes) continue;
            groups.Add((start, i + 1));
            start = i + 1;
            size = 0;
        }
        if (start < payloads.Count) groups.Add((start, payloads.Count));
        return groups;
    }

    /// <summary>
    /// Decodes one group on the thread pool. Its own method so that the lambda's captures are allocated here, for
    /// large deliveries only, not at the start of <see cref="DecodeAsync"/> for every delivery.
    /// </summary>
    private static Task<List<T>> DecodeOnPool<T>(IReadOnlyList<byte[]> payloads, int from, int to, JsonTypeInfo<T> typeInfo) =>
        Task.Run(() => Decode(payloads, from, to, typeInfo));

    private static List<T> Decode<T>(IReadOnlyList<byte[]> payloads, int from, int to, JsonTypeInfo<T> typeInfo)
    {
        var items = new List<T>();
        for (var i = from; i < to; i++) BatchDecoder.ParsePayloadInto(items, payloads[i], typeInfo);
        return items;
    }

}

/// <summary>Messages already decoded into consecutive lists, handed out in order.</summary>
internal sealed class ListsItemEnumerator<T>(List<T>[] lists) : IAsyncEnumerator<T>
{
    private int _list;
    private int _index = -1;

    public T Current => lists[_list][_index];

    public ValueTask<bool> MoveNextAsync()
    {
        while (_list < lists.Length)
        {
            if (++_index < lists[_list].Count) return new ValueTask<bool>(true);
            _list++;
            _index = -1;
        }
        return new ValueTask<bool>(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
