using System.Runtime.CompilerServices;

namespace DurableStreams.Generators.Tests.Support;

/// <summary>Folders of the repository, found from this source file's location.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Path.GetFullPath(Path.Combine(ThisFolder(), "..", "..", ".."));

    public static string Generators => Path.Combine(Root, "generators", "DurableStreams.Generators");

    private static string ThisFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
