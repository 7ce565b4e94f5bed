namespace DurableStreams.Testing;

/// <summary>
/// Finds the repository checkout that the running tests were built from, so fixtures can reach
/// files that are not copied into the build output (the npm project, checked-in test data).
/// </summary>
public static class RepositoryRoot
{
    /// <summary>The file that marks the repository root.</summary>
    public const string MarkerFileName = "DurableStreams.Typed.sln";

    /// <summary>
    /// Walks up from <paramref name="startDirectory"/> (default: <see cref="AppContext.BaseDirectory"/>)
    /// to the first folder containing <see cref="MarkerFileName"/>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No ancestor folder holds the marker file.</exception>
    public static string Locate(string? startDirectory = null)
    {
        var start = startDirectory ?? AppContext.BaseDirectory;
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, MarkerFileName)))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException(
            $"Could not find the repository root: no folder above '{start}' contains {MarkerFileName}.");
    }
}
