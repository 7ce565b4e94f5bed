using DurableStreams.Testing;

namespace DurableStreams.Bench.EndToEnd.Harness;

/// <summary>
/// The upstream C# client (<c>../shared/anchors/client-dotnet</c>, MIT, source only) as a child process: its
/// assembly and namespace are also <c>DurableStreams</c>, so it cannot load beside this SDK. The anchor is copied
/// to a temporary folder (<c>../shared</c> is read-only in CI), <c>bench/upstream-dotnet</c> is built against the
/// copy into that folder, and the driver speaks the same line protocol as <c>bench/ts/driver.mjs</c>.
/// </summary>
internal static class UpstreamDriver
{
    /// <summary>The running driver and its temporary folder, or why the column is unavailable.</summary>
    public static async Task<(ChildDriver? Driver, DirectoryInfo? Folder, string? Unavailable)> StartAsync()
    {
        var root = RepositoryRoot.Locate();
        var anchor = Environment.GetEnvironmentVariable("DS_BENCH_UPSTREAM_CLIENT")
            ?? Path.GetFullPath(Path.Combine(root, "..", "shared", "anchors", "client-dotnet"));
        if (!File.Exists(Path.Combine(anchor, "DurableStreams", "DurableStreams.csproj")))
            return (null, null, $"upstream client source not found at {anchor}");

        var folder = Directory.CreateTempSubdirectory("ds-bench-upstream-");
        try
        {
            var source = Path.Combine(folder.FullName, "src");
            Copy(new DirectoryInfo(anchor), source);
            // The copy is outside the repository, so none of our build settings reach it; keep it buildable on a
            // newer SDK than its own (its csproj turns warnings into errors and enforces its code style).
            await File.WriteAllTextAsync(Path.Combine(source, "Directory.Build.props"),
                "<Project><PropertyGroup><TreatWarningsAsErrors>false</TreatWarningsAsErrors><EnforceCodeStyleInBuild>false</EnforceCodeStyleInBuild></PropertyGroup></Project>\n").ConfigureAwait(false);
            var output = Path.Combine(folder.FullName, "out");
            await ChildDriver.RunToolAsync("dotnet",
                ["build", Path.Combine(root, "bench", "upstream-dotnet", "UpstreamDriver.csproj"), "-c", "Release", "-o", output,
                 $"-p:UpstreamProject={Path.Combine(source, "DurableStreams", "DurableStreams.csproj")}",
                 "--disable-build-servers", "-nologo", "-v:q"],
                root, captureOutput: true).ConfigureAwait(false);
            return (ChildDriver.Start("dotnet", [Path.Combine(output, "UpstreamDriver.dll")], folder.FullName, "upstream C# driver"), folder, null);
        }
        catch (Exception error) when (error is InvalidOperationException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            Delete(folder);
            return (null, null, "upstream driver build failed: " + error.Message);
        }
    }

    public static void Delete(DirectoryInfo? folder)
    {
        try { folder?.Delete(recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void Copy(DirectoryInfo from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in from.GetFiles()) file.CopyTo(Path.Combine(to, file.Name));
        foreach (var directory in from.GetDirectories())
            if (directory.Name is not ("bin" or "obj")) Copy(directory, Path.Combine(to, directory.Name));
    }
}
