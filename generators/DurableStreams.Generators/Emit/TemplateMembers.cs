using System.Collections.Generic;
using System.Linq;
using DurableStreams.Generators.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace DurableStreams.Generators.Emit;

/// <summary>
/// What stream and state classes emit alike: <c>UrlFor</c>, the placeholder parameter docs, and C# text helpers.
/// </summary>
internal static class TemplateMembers
{
    public static void WriteUrlFor(SourceWriter writer, UrlTemplate url, List<string> placeholders)
    {
        writer.Line(url.IsAbsolute
            ? "/// <summary>The stream's absolute URL.</summary>"
            : "/// <summary>The stream's URL, relative to the client's base address.</summary>");
        foreach (var name in placeholders)
            writer.Line($"/// <param name=\"{name}\">The <c>{{{name}}}</c> value; it is URL-escaped.</param>");

        writer.Line($"public static string UrlFor({string.Join(", ", placeholders.Select(static name => $"string {Identifier(name)}"))}) =>");
        if (placeholders.Count == 0)
        {
            writer.Line("    UrlTemplate;");
            return;
        }

        // One piece per line, so the shape of the URL reads top to bottom.
        var lines = url.Parts.Select(static part => part.IsPlaceholder
            ? $"global::DurableStreams.StreamTemplateValue.Escape({Identifier(part.Text)}, nameof({Identifier(part.Text)}))"
            : Literal(part.Text)).ToList();
        for (var i = 0; i < lines.Count; i++)
            writer.Line($"    {(i == 0 ? "" : "+ ")}{lines[i]}{(i == lines.Count - 1 ? ";" : "")}");
    }

    public static void WriteParameterDocs(SourceWriter writer, UrlTemplate url, List<string> placeholders)
    {
        writer.Line($"/// <param name=\"{GeneratedNames.ClientParameter}\">The client{(url.IsAbsolute ? "" : "; the URL resolves against its base address")}.</param>");
        foreach (var name in placeholders)
            writer.Line($"/// <param name=\"{name}\">The <c>{{{name}}}</c> value; it is URL-escaped.</param>");
    }

    /// <summary>Placeholder and collection names are identifiers; keywords need '@'.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    public static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
