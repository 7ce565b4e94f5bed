using System;
using System.Text;

namespace DurableStreams.Generators.Emit;

/// <summary>A <see cref="StringBuilder"/> that indents each line and writes <c>\n</c> line endings on every OS.</summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _text = new();
    private int _indent;

    public void Line() => _text.Append('\n');

    public void Line(string line)
    {
        for (var i = 0; i < _indent; i++)
            _text.Append(IndentUnit);
        _text.Append(line).Append('\n');
    }

    /// <summary>Writes <paramref name="opening"/> and <c>{</c>, then indents until the returned scope is disposed.</summary>
    public IDisposable Block(string opening)
    {
        Line(opening);
        Line("{");
        _indent++;
        return new Scope(this);
    }

    public override string ToString() => _text.ToString();

    private sealed class Scope(SourceWriter writer) : IDisposable
    {
        public void Dispose()
        {
            writer._indent--;
            writer.Line("}");
        }
    }
}
