using System.Security.Cryptography;
using System.Text;

namespace DurableStreams.Consumers;

/// <summary>
/// Checkpoints in files under one directory, one file per consumer and stream, each holding the offset's text
/// (<see cref="Offset.ToString"/>). A save writes a temporary file and renames it over the old one, so a crash
/// leaves either the old checkpoint or the new one, never a torn file.
/// </summary>
/// <remarks>
/// File names are the consumer and stream names reduced to letters, digits, <c>-</c> and <c>_</c> (for reading),
/// plus a hash of the exact names (for uniqueness): any name is safe on any file system.
/// </remarks>
public sealed class FileCheckpointStore : ICheckpointStore
{
    private const string Extension = ".checkpoint";
    private const int ReadablePart = 40;

    /// <summary>A store in <paramref name="directory"/> (created on the first save).</summary>
    public FileCheckpointStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The directory the checkpoint files are in.</summary>
    public string Directory { get; }

    /// <inheritdoc />
    public async ValueTask<Offset?> LoadAsync(string consumer, string stream, CancellationToken cancellationToken = default)
    {
        CheckpointArguments.Check(consumer, stream);
        var path = PathFor(consumer, stream);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        return Offset.Parse(text.Trim());
    }

    /// <inheritdoc />
    public async ValueTask SaveAsync(string consumer, string stream, Offset position, CancellationToken cancellationToken = default)
    {
        CheckpointArguments.Check(consumer, stream, position);
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathFor(consumer, stream);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await file.WriteAsync(Encoding.UTF8.GetBytes(position.ToString() + "\n"), cancellationToken).ConfigureAwait(false);
                // On disk before the rename makes it the checkpoint.
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>The file that holds the checkpoint of <paramref name="consumer"/> on <paramref name="stream"/>.</summary>
    public string PathFor(string consumer, string stream)
    {
        CheckpointArguments.Check(consumer, stream);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(consumer + "\n" + stream));
        var name = $"{Readable(consumer)}.{Readable(stream)}.{Convert.ToHexStringLower(hash, 0, 8)}{Extension}";
        return Path.Combine(Directory, name);
    }

    private static string Readable(string name)
    {
        var builder = new StringBuilder(Math.Min(name.Length, ReadablePart));
        foreach (var c in name)
        {
            if (builder.Length == ReadablePart) break;
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }
        return builder.ToString();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
