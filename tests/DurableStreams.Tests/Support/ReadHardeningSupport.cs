using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Tests.Support;

/// <summary>A body that never ends: an optional prefix, then <c>pattern</c> repeated forever.</summary>
internal sealed class EndlessStream(byte[] pattern, byte[]? prefix = null) : SyncReadOnlyStream
{
    private readonly byte[] _prefix = prefix ?? [];
    private long _position;

    /// <summary>Bytes handed out so far.</summary>
    public long Served => Interlocked.Read(ref _position);

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            var position = _position + written;
            byte value = position < _prefix.Length ? _prefix[position] : pattern[(position - _prefix.Length) % pattern.Length];
            buffer[written++] = value;
        }
        Interlocked.Add(ref _position, written);
        return written;
    }
}

/// <summary>Counts log entries by event id.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<(int EventId, string Message)> _entries = new();

    public int Count(int eventId) => _entries.Count(e => e.EventId == eventId);

    public IReadOnlyList<string> Messages(int eventId) => _entries.Where(e => e.EventId == eventId).Select(e => e.Message).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue((eventId.Id, formatter(state, exception)));
    }
}

/// <summary>A body that hands out <c>prefix</c> and then breaks off, as a connection reset mid-body does.</summary>
internal sealed class CutStream(byte[] prefix) : SyncReadOnlyStream
{
    private int _position;

    public override int Read(Span<byte> buffer)
    {
        if (_position >= prefix.Length) throw new IOException("connection reset mid-body (simulated)");
        var n = Math.Min(buffer.Length, prefix.Length - _position);
        prefix.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }
}

/// <summary>A forward-only stream whose reads complete synchronously; subclasses supply <c>Read(Span)</c>.</summary>
internal abstract class SyncReadOnlyStream : Stream
{
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
