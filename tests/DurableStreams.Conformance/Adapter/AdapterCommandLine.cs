using System.Text;

namespace DurableStreams.Conformance.Adapter;

/// <summary>The program (and arguments) that speaks the adapter protocol on stdin/stdout.</summary>
internal sealed record AdapterCommandLine(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>A full command line that replaces the built-in adapter, e.g. <c>npx tsx adapter.ts</c>.</summary>
    public const string OverrideVariable = "DURABLE_STREAMS_ADAPTER";

    public const string BuiltInAdapterFileName = "DurableStreams.ConformanceAdapter.dll";

    /// <summary>
    /// The override from the environment if set, else <c>dotnet exec</c> of the adapter build that
    /// the project reference copies next to the test assembly.
    /// </summary>
    public static AdapterCommandLine Resolve(string? overrideCommandLine, string testOutputDirectory)
    {
        if (!string.IsNullOrWhiteSpace(overrideCommandLine))
        {
            return Parse(overrideCommandLine);
        }

        var adapterDll = Path.Combine(testOutputDirectory, BuiltInAdapterFileName);
        if (!File.Exists(adapterDll))
        {
            throw new FileNotFoundException(
                $"The conformance adapter was not found at '{adapterDll}'. Build the test project (it references " +
                $"DurableStreams.ConformanceAdapter) or set {OverrideVariable} to an adapter command line.",
                adapterDll);
        }

        // DOTNET_HOST_PATH is set by `dotnet test`; it keeps the adapter on the same SDK/runtime as the tests.
        var dotnetHost = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : "dotnet";
        return new AdapterCommandLine(dotnetHost, ["exec", adapterDll]);
    }

    /// <summary>
    /// Splits a command line at unquoted whitespace. Single quotes keep everything literally;
    /// double quotes allow <c>\"</c> and <c>\\</c>. Other backslashes are literal so Windows paths work unquoted.
    /// </summary>
    public static AdapterCommandLine Parse(string commandLine)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < commandLine.Length; i++)
        {
            var c = commandLine[i];
            if (quote == '\'')
            {
                if (c == '\'') quote = null; else current.Append(c);
            }
            else if (quote == '"')
            {
                if (c == '"')
                {
                    quote = null;
                }
                else if (c == '\\' && i + 1 < commandLine.Length && commandLine[i + 1] is '"' or '\\')
                {
                    current.Append(commandLine[++i]);
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                inWord = true;
                if (c is '\'' or '"') quote = c; else current.Append(c);
            }
        }

        if (quote is not null)
        {
            throw new FormatException($"Unterminated {quote} quote in adapter command line: {commandLine}");
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words.Count == 0
            ? throw new FormatException("The adapter command line is empty.")
            : new AdapterCommandLine(words[0], words[1..]);
    }

    public override string ToString() =>
        string.Join(' ', new[] { FileName }.Concat(Arguments).Select(word => word.Contains(' ', StringComparison.Ordinal) ? $"\"{word}\"" : word));
}
