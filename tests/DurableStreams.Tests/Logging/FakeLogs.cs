using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace DurableStreams.Tests.Logging;

/// <summary>An <see cref="ILoggerFactory"/> whose loggers record everything, Trace included, in one collector.</summary>
internal sealed class FakeLogs : ILoggerFactory
{
    private readonly FakeLoggerProvider _provider = new();

    public FakeLogCollector Collector => _provider.Collector;

    public IReadOnlyList<FakeLogRecord> All => Collector.GetSnapshot();

    public IReadOnlyList<FakeLogRecord> Of(int eventId) => All.Where(r => r.Id.Id == eventId).ToList();

    public FakeLogRecord Single(int eventId) => Assert.Single(Of(eventId));

    public ILogger CreateLogger(string categoryName) => _provider.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() => _provider.Dispose();

    public string Describe() => string.Join('\n', All.Select(r => $"{r.Id.Id} {r.Level}: {r.Message}"));
}

internal static class FakeLogRecordExtensions
{
    /// <summary>A structured field of the record, as the logger formatted it.</summary>
    public static string? Field(this FakeLogRecord record, string name) =>
        record.StructuredState?.FirstOrDefault(kv => kv.Key == name).Value;
}
