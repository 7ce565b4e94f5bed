using System.Collections.Concurrent;
using DurableStreams.Consumers;

namespace Consuming;

/// <summary>
/// Who processed what: every message written and every message handled, printed as it happens, and the check at
/// the end (each way of consuming saw exactly the written set; the two workers together saw each message once).
/// </summary>
internal sealed class Ledger
{
    public const string Consumer = "consumer", Webhook = "webhook";
    public static readonly string[] Workers = ["worker-1", "worker-2"];

    private readonly ConcurrentDictionary<(string Stream, string Id), byte> _written = new();
    private readonly ConcurrentQueue<(string Who, string Stream, string Id)> _handled = new();
    private readonly Lock _console = new();

    public void Written(string stream, Order order)
    {
        _written[(stream, order.Id)] = 0;
        Print("producer", stream, order);
    }

    public void Record(string who, StreamMessage<Order> message)
    {
        _handled.Enqueue((who, message.Stream, message.Data.Id));
        Print(who, message.Stream, message.Data);
    }

    /// <summary>True once every way of consuming has seen every message written.</summary>
    public bool Complete => Problems().Count == 0;

    /// <summary>What is wrong with the result so far: missing, unexpected or (for the workers) repeated messages.</summary>
    public List<string> Problems()
    {
        var handled = _handled.ToArray();
        var problems = new List<string>();
        foreach (var (who, workers) in new[] { (Consumer, false), (Webhook, false), ("worker-1 + worker-2", true) })
        {
            var seen = handled.Where(h => workers ? Workers.Contains(h.Who) : h.Who == who)
                .GroupBy(h => (h.Stream, h.Id)).ToDictionary(g => g.Key, g => g.Count());
            foreach (var key in _written.Keys.Where(k => !seen.ContainsKey(k)).Order())
                problems.Add($"{who}: missing {key.Stream} {key.Id}");
            foreach (var key in seen.Keys.Where(k => !_written.ContainsKey(k)).Order())
                problems.Add($"{who}: never written {key.Stream} {key.Id}");
            if (workers)
                foreach (var (key, count) in seen.Where(s => s.Value > 1).OrderBy(s => s.Key))
                    problems.Add($"{who}: {key.Stream} {key.Id} processed {count} times");
        }
        return problems;
    }

    /// <summary>How many messages each of them processed.</summary>
    public string Summary()
    {
        var handled = _handled.ToArray();
        var names = Workers.Prepend(Consumer).Prepend(Webhook);
        return string.Join(", ", names.Select(n => $"{n} {handled.Count(h => h.Who == n)}"));
    }

    public int WrittenCount => _written.Count;

    private void Print(string who, string stream, Order order)
    {
        lock (_console) Console.WriteLine($"{who,-9} {stream,-12} {order.Id}  {order.Total,7:0.00}");
    }
}
