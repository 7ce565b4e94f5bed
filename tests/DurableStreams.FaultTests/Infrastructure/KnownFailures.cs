namespace DurableStreams.FaultTests.Infrastructure;

/// <summary>
/// The ratchet: <c>known-failures.txt</c> (in this project, copied next to the tests) lists the cases expected to
/// fail on the current client, one key a line (<c>#</c> starts a comment). A listed case still runs; if it fails, the
/// failure is logged and the test passes; if it passes, the test fails and says to remove the key (the list only
/// shrinks). A case not listed must pass.
/// </summary>
public static class KnownFailures
{
    public const string FileName = "known-failures.txt";

    private static readonly Lazy<IReadOnlySet<string>> Listed = new(Load);

    public static IReadOnlySet<string> Keys => Listed.Value;

    public static bool IsListed(string key) => Listed.Value.Contains(key);

    /// <summary>Runs <paramref name="test"/> as the case <paramref name="key"/>.</summary>
    public static Task RunAsync(string key, Func<Task> test) => RunAsync(key, test, Listed.Value);

    /// <summary>Runs <paramref name="test"/> as the case <paramref name="key"/> against the list <paramref name="listed"/>.</summary>
    public static async Task RunAsync(string key, Func<Task> test, IReadOnlySet<string> listed)
    {
        var isListed = listed.Contains(key);
        FaultSettings.Log($"[faults] case '{key}'{(isListed ? " (listed in known-failures.txt)" : "")}");
        if (!isListed)
        {
            await test();
            return;
        }

        try
        {
            await test();
        }
        catch (Exception e)
        {
            FaultSettings.Log($"[faults] KNOWN FAILURE '{key}' failed as listed: {e.GetType().Name}: {FirstLine(e.Message)}");
            return;
        }

        Assert.Fail($"'{key}' is listed in {FileName} but now passes: remove it from the list (the ratchet only shrinks).");
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? text : text[..end];
    }

    private static HashSet<string> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return keys;
        foreach (var raw in File.ReadAllLines(path))
        {
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = (hash < 0 ? raw : raw[..hash]).Trim();
            if (line.Length > 0) keys.Add(line);
        }

        return keys;
    }
}
