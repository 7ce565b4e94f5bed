using System.Buffers;
using System.Text;
using System.Text.Json;

namespace DurableStreams.Server.Storage;

/// <summary>
/// The memory store made durable: every committed change (data, closure, producer state, deletes) is
/// appended to a JSON-lines journal before it applies, and the journal is replayed on start. Streams are
/// still served from memory, which suits development and tests, not large data sets.
/// </summary>
internal sealed class FileStreamStore : MemoryStreamStore
{
    public const string JournalFileName = "streams.journal";

    private readonly FileStream _journal;
    private const int InitialLineCapacity = 16 * 1024;
    private volatile Exception? _lastWriteFailure;
    private ArrayBufferWriter<byte> _line = new(InitialLineCapacity);
    private Utf8JsonWriter? _lineWriter;

    public FileStreamStore(string directory, TimeProvider clock) : base(clock)
    {
        Directory.CreateDirectory(directory);
        DataDirectory = directory;
        var path = Path.Combine(directory, JournalFileName);
        JournalPath = path;
        Replay(path);
        _journal = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        // Start on a fresh line so a torn last record stays isolated (and skipped) on the next replay.
        if (_journal.Length > 0 && LastByte(path) != (byte)'\n') _journal.WriteByte((byte)'\n');
    }

    /// <summary>The folder of the journal.</summary>
    public string DataDirectory { get; }

    /// <summary>The journal's full path.</summary>
    public string JournalPath { get; }

    /// <summary>Why the last journal write failed; null once one succeeds again (for the health check).</summary>
    public Exception? LastWriteFailure => _lastWriteFailure;

    /// <summary>
    /// Whether the file at <see cref="JournalPath"/> is still the one being written (same length under the lock):
    /// once it was deleted or replaced, the store writes into a file a restart will never read.
    /// </summary>
    public bool JournalInPlace()
    {
        lock (Gate)
        {
            var onDisk = new FileInfo(JournalPath);
            return onDisk.Exists && onDisk.Length == _journal.Length;
        }
    }

    private static int LastByte(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        file.Seek(-1, SeekOrigin.End);
        return file.ReadByte();
    }

    protected override void Commit(JournalRecord record)
    {
        // Under the store's lock: one reused buffer and writer, and the record with its newline in a single write
        // (the record and its newline written apart were two system calls per commit).
        _line.ResetWrittenCount();
        if (_lineWriter is null) _lineWriter = new Utf8JsonWriter(_line);
        else _lineWriter.Reset(_line);
        JsonSerializer.Serialize(_lineWriter, record, JournalJsonContext.Default.JournalRecord);
        _lineWriter.Flush();
        _line.Write("\n"u8);
        try
        {
            // After a failed write, start on a fresh line so a torn record cannot swallow this one on replay.
            if (_lastWriteFailure is not null) _journal.WriteByte((byte)'\n');
            _journal.Write(_line.WrittenSpan);
            // Flushed to the OS before the change applies: a request answered is a request that survives a restart.
            _journal.Flush();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // The request fails (500, logged by the endpoint); the health check reports it until a write succeeds.
            _lastWriteFailure = ex;
            throw;
        }
        _lastWriteFailure = null;
        // A very large append grew the buffer: let it go rather than hold it for the life of the store.
        if (_line.Capacity > 1024 * 1024)
        {
            _line = new ArrayBufferWriter<byte>(InitialLineCapacity);
            _lineWriter = null;
        }
        Apply(record);
    }

    public override void Dispose()
    {
        lock (Gate)
        {
            _journal.Dispose();
            _lineWriter?.Dispose();
        }
        base.Dispose();
    }

    private void Replay(string path)
    {
        if (!File.Exists(path)) return;
        using var reader = new StreamReader(path, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            JournalRecord? record;
            try
            {
                record = JsonSerializer.Deserialize(line, JournalJsonContext.Default.JournalRecord);
            }
            catch (JsonException)
            {
                // A torn line from a crash mid-write: that request was never acknowledged.
                continue;
            }
            if (record is not null) Apply(record);
        }
    }
}
