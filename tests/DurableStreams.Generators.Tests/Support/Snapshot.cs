using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace DurableStreams.Generators.Tests.Support;

/// <summary>
/// Golden files: generated source is compared with <c>Snapshots/{name}.verified.cs</c>. A difference writes
/// <c>{name}.received.cs</c> next to it and fails; with <c>DURABLESTREAMS_ACCEPT_SNAPSHOTS=1</c> the new
/// output replaces the golden file instead.
/// </summary>
internal static partial class Snapshot
{
    public const string AcceptVariable = "DURABLESTREAMS_ACCEPT_SNAPSHOTS";

    public static void Match(string actual, string name, [CallerFilePath] string callerFile = "")
    {
        var folder = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots");
        var verified = Path.Combine(folder, name + ".verified.cs");
        var received = Path.Combine(folder, name + ".received.cs");
        var text = Scrub(actual);

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(verified, text);
            File.Delete(received);
            return;
        }

        var expected = File.Exists(verified) ? File.ReadAllText(verified).ReplaceLineEndings("\n") : null;
        if (expected == text)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, text);
        Assert.Fail(expected is null
            ? $"No golden file {verified}; the output is in {received}. Run with {AcceptVariable}=1 to accept it."
            : $"Generated source differs from {verified} at line {FirstDifferentLine(expected, text)}; see {received}. Run with {AcceptVariable}=1 to accept it.");
    }

    // The tool version changes with every release; the golden files should not.
    private static string Scrub(string text) =>
        GeneratedCodeVersion().Replace(text.ReplaceLineEndings("\n"), "GeneratedCode(\"DurableStreams.Generators\", \"<version>\")");

    private static int FirstDifferentLine(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var line = 0;
        while (line < a.Length && line < b.Length && a[line] == b[line])
            line++;
        return line + 1;
    }

    [GeneratedRegex("""GeneratedCode\("DurableStreams\.Generators", "[^"]*"\)""")]
    private static partial Regex GeneratedCodeVersion();
}
