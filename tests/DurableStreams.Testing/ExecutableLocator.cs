namespace DurableStreams.Testing;

/// <summary>Resolves a program name the way a shell would, so a missing tool is reported before we try to start it.</summary>
internal static class ExecutableLocator
{
    public static string? FindOnPath(string program)
    {
        if (Path.IsPathRooted(program))
        {
            return File.Exists(program) ? program : null;
        }

        var searchPath = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in CandidateFileNames(program))
            {
                var fullPath = Path.Combine(directory.Trim('"'), candidate);
                if (File.Exists(fullPath))
                {
                    return fullPath;
                }
            }
        }

        return null;
    }

    // On Windows, npm is "npm.cmd"; PATHEXT lists the suffixes a bare name may take.
    private static IEnumerable<string> CandidateFileNames(string program)
    {
        if (!OperatingSystem.IsWindows() || Path.HasExtension(program))
        {
            yield return program;
            yield break;
        }

        var extensions = Environment.GetEnvironmentVariable("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD";
        foreach (var extension in extensions.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            yield return program + extension.ToLowerInvariant();
        }
    }
}
