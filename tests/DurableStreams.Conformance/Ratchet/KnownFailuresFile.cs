namespace DurableStreams.Conformance.Ratchet;

/// <summary>
/// <c>known-failures.txt</c>: one <c>suite-id/test-id</c> per line; <c>#</c> starts a comment (whole
/// line or trailing); blank lines are ignored. The comment block at the top is kept when the file
/// is rewritten.
/// </summary>
internal sealed class KnownFailuresFile
{
    private KnownFailuresFile(string path, IReadOnlyList<string> header, IReadOnlyList<Entry> entries)
    {
        FilePath = path;
        Header = header;
        Entries = entries;
        Keys = entries.Select(entry => entry.Key).ToHashSet(StringComparer.Ordinal);
    }

    public sealed record Entry(string Key, int LineNumber);

    public string FilePath { get; }

    /// <summary>Leading comment lines, verbatim.</summary>
    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<Entry> Entries { get; }

    public IReadOnlySet<string> Keys { get; }

    /// <summary>Reads the file; a missing file lists nothing.</summary>
    public static KnownFailuresFile Load(string path) =>
        Parse(File.Exists(path) ? File.ReadAllText(path) : string.Empty, path);

    public static KnownFailuresFile Parse(string text, string path)
    {
        var header = new List<string>();
        var entries = new List<Entry>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var inHeader = true;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (inHeader && line.TrimStart().StartsWith('#'))
            {
                header.Add(line);
                continue;
            }

            inHeader = false;
            var commentAt = line.IndexOf('#', StringComparison.Ordinal);
            var key = (commentAt < 0 ? line : line[..commentAt]).Trim();
            if (key.Length > 0)
            {
                entries.Add(new Entry(key, i + 1));
            }
        }

        return new KnownFailuresFile(path, header, entries);
    }

    public bool Lists(string caseKey) => Keys.Contains(caseKey);

    /// <summary>The file's text for the given cases, keeping this file's header.</summary>
    public string Render(IEnumerable<string> caseKeys)
    {
        var lines = Header.Concat(caseKeys);
        return string.Join('\n', lines) + "\n";
    }
}
