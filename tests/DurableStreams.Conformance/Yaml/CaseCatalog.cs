namespace DurableStreams.Conformance.Yaml;

/// <summary>
/// Every case of the suite folder in the upstream walk order, plus whatever kept a file from
/// loading. Problems are collected rather than thrown so that each becomes a visible failing test.
/// </summary>
internal sealed class CaseCatalog
{
    private readonly Dictionary<string, int> _positionByKey;

    private CaseCatalog(string directory, List<ConformanceCase> cases, List<string> problems)
    {
        Directory = directory;
        Cases = cases;
        Problems = problems;
        _positionByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < cases.Count; i++)
        {
            if (!_positionByKey.TryAdd(cases[i].Key, i))
            {
                problems.Add($"{cases[i].SourceFile}: duplicate case id '{cases[i].Key}'.");
            }
        }
    }

    public string Directory { get; }

    public IReadOnlyList<ConformanceCase> Cases { get; }

    /// <summary>Missing folder, unreadable or malformed files, duplicate ids.</summary>
    public IReadOnlyList<string> Problems { get; }

    public static CaseCatalog Load(string directory)
    {
        var cases = new List<ConformanceCase>();
        var problems = new List<string>();
        if (!System.IO.Directory.Exists(directory))
        {
            problems.Add(
                $"The conformance cases folder '{directory}' does not exist. Check out the shared spec material " +
                "beside the repository (../shared/conformance/test-cases) or point DURABLE_STREAMS_CONFORMANCE_CASES at it.");
            return new CaseCatalog(directory, cases, problems);
        }

        foreach (var file in SuiteFilesInWalkOrder(directory))
        {
            var relativePath = Path.GetRelativePath(directory, file).Replace('\\', '/');
            try
            {
                cases.AddRange(SuiteFileParser.Parse(File.ReadAllText(file), relativePath));
            }
            catch (Exception ex) when (ex is CaseFormatException or IOException)
            {
                problems.Add(ex.Message);
            }
        }

        if (cases.Count == 0 && problems.Count == 0)
        {
            problems.Add($"The conformance cases folder '{directory}' holds no .yaml/.yml files.");
        }

        return new CaseCatalog(directory, cases, problems);
    }

    public bool TryGet(string key, out ConformanceCase found)
    {
        if (_positionByKey.TryGetValue(key, out var position))
        {
            found = Cases[position];
            return true;
        }

        found = null!;
        return false;
    }

    /// <summary>Walk position of a case, or <see cref="int.MaxValue"/> for keys that are not cases.</summary>
    public int PositionOf(string key) => _positionByKey.TryGetValue(key, out var position) ? position : int.MaxValue;

    // Upstream order: each folder's entries sorted by name (ordinal), descending into a
    // subfolder where its name sorts. Only matters for fail-fast and cross-test adapter state.
    private static IEnumerable<string> SuiteFilesInWalkOrder(string directory)
    {
        var entries = System.IO.Directory.GetFileSystemEntries(directory)
            .OrderBy(Path.GetFileName, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (System.IO.Directory.Exists(entry))
            {
                foreach (var nested in SuiteFilesInWalkOrder(entry))
                {
                    yield return nested;
                }
            }
            else if (entry.EndsWith(".yaml", StringComparison.Ordinal) || entry.EndsWith(".yml", StringComparison.Ordinal))
            {
                yield return entry;
            }
        }
    }
}
