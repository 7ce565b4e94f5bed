using DurableStreams.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace DurableStreams.Generators.Tests.Support;

/// <summary>
/// Expected diagnostics located by the text they underline. Braces in URL templates clash with the
/// testing library's <c>{|id:...|}</c> markup, so spans are found in the plain source instead.
/// </summary>
internal static class Expect
{
    /// <summary><paramref name="descriptor"/> on the <paramref name="occurrence"/>-th (0-based) <paramref name="text"/> in <paramref name="source"/>.</summary>
    public static DiagnosticResult At(DiagnosticDescriptor descriptor, string source, string text, int occurrence = 0) =>
        Locate(new DiagnosticResult(descriptor), source, text, occurrence);

    /// <summary><paramref name="descriptor"/> on <paramref name="text"/> inside the first <paramref name="around"/> (e.g. a type argument of one attribute).</summary>
    public static DiagnosticResult Within(DiagnosticDescriptor descriptor, string source, string around, string text)
    {
        var outer = source.IndexOf(around, StringComparison.Ordinal);
        var inner = outer < 0 ? -1 : around.IndexOf(text, StringComparison.Ordinal);
        if (inner < 0)
            throw new ArgumentException($"'{text}' inside '{around}' is not in the source.", nameof(text));
        var (line, column) = Position(source, outer + inner);
        var (endLine, endColumn) = Position(source, outer + inner + text.Length);
        return new DiagnosticResult(descriptor).WithSpan(line, column, endLine, endColumn);
    }

    /// <summary>The compiler error <paramref name="id"/>, located like <see cref="At"/>.</summary>
    public static DiagnosticResult CompilerErrorAt(string id, string source, string text, int occurrence = 0) =>
        Locate(DiagnosticResult.CompilerError(id), source, text, occurrence);

    private static DiagnosticResult Locate(DiagnosticResult result, string source, string text, int occurrence)
    {
        var start = -1;
        for (var i = 0; i <= occurrence; i++)
        {
            start = source.IndexOf(text, start + 1, StringComparison.Ordinal);
            if (start < 0)
                throw new ArgumentException($"'{text}' occurs fewer than {occurrence + 1} times in the source.", nameof(text));
        }

        var (line, column) = Position(source, start);
        var (endLine, endColumn) = Position(source, start + text.Length);
        return result.WithSpan(line, column, endLine, endColumn);
    }

    private static (int Line, int Column) Position(string source, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, offset - lineStart + 1);
    }

    public static DiagnosticDescriptor Descriptor(string id) => DiagnosticDescriptors.All.Single(d => d.Id == id);
}
