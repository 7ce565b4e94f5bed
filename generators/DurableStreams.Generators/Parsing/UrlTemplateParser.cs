using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using DurableStreams.Generators.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace DurableStreams.Generators.Parsing;

/// <summary>
/// Splits a stream URL template into literal text and <c>{name}</c> placeholders, and finds everything
/// that would make it an unusable URL. Pure string work, shared by the generator and the analyzer.
/// </summary>
internal static class UrlTemplateParser
{
    /// <summary>The parsed template, or null with the problems found (all of them, not just the first).</summary>
    public static (UrlTemplate? Template, ImmutableArray<UrlTemplateProblem> Problems) Parse(string? text) =>
        Parse(text, GeneratedNames.IsReservedParameter);

    /// <summary>As <see cref="Parse(string?)"/>, with <paramref name="isReserved"/> naming the parameters placeholders may not take.</summary>
    public static (UrlTemplate? Template, ImmutableArray<UrlTemplateProblem> Problems) Parse(string? text, Func<string, bool> isReserved)
    {
        if (string.IsNullOrWhiteSpace(text))
            return (null, [new UrlTemplateProblem(UrlTemplateProblemKind.Malformed, 0, text?.Length ?? 0, "it is empty")]);

        var problems = ImmutableArray.CreateBuilder<UrlTemplateProblem>();
        var parts = new List<UrlTemplatePart>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var literal = new StringBuilder();

        for (var i = 0; i < text!.Length;)
        {
            var c = text[i];
            if (c == '{')
            {
                var close = text.IndexOf('}', i + 1);
                var nextOpen = text.IndexOf('{', i + 1);
                if (close < 0 || (nextOpen >= 0 && nextOpen < close))
                {
                    problems.Add(new(UrlTemplateProblemKind.Malformed, i, 1, $"the '{{' at position {i} has no matching '}}'"));
                    i++;
                    continue;
                }

                var name = text.Substring(i + 1, close - i - 1);
                var span = close - i + 1;
                if (!SyntaxFacts.IsValidIdentifier(name))
                    problems.Add(new(UrlTemplateProblemKind.InvalidPlaceholderName, i, span, name));
                else if (!names.Add(name))
                    problems.Add(new(UrlTemplateProblemKind.DuplicatePlaceholder, i, span, name));
                else if (isReserved(name))
                    problems.Add(new(UrlTemplateProblemKind.ReservedPlaceholder, i, span, name));

                Flush(literal, parts);
                parts.Add(new UrlTemplatePart(name, IsPlaceholder: true));
                i = close + 1;
                continue;
            }

            switch (c)
            {
                case '}':
                    problems.Add(new(UrlTemplateProblemKind.Malformed, i, 1, $"the '}}' at position {i} has no matching '{{'"));
                    break;
                case '?':
                    problems.Add(new(UrlTemplateProblemKind.QueryOrFragment, i, text.Length - i, "a query string"));
                    i = text.Length;
                    continue;
                case '#':
                    problems.Add(new(UrlTemplateProblemKind.QueryOrFragment, i, text.Length - i, "a fragment"));
                    i = text.Length;
                    continue;
                case '%':
                    if (!IsPercentEscape(text, i))
                        problems.Add(new(UrlTemplateProblemKind.Malformed, i, 1, $"the '%' at position {i} does not start an escape like %2F"));
                    break;
                default:
                    if (!IsUrlCharacter(c))
                        problems.Add(new(UrlTemplateProblemKind.Malformed, i, 1, $"'{Printable(c)}' is not allowed in a URL; escape it as %XX"));
                    break;
            }

            literal.Append(c);
            i++;
        }

        Flush(literal, parts);
        var isAbsolute = problems.Count == 0 && CheckScheme(text, problems);

        return problems.Count == 0
            ? (new UrlTemplate(text, parts.ToEquatableArray(), isAbsolute), ImmutableArray<UrlTemplateProblem>.Empty)
            : (null, problems.ToImmutable());
    }

    /// <summary>
    /// A key equal for templates that address the same streams: placeholder names do not matter
    /// (<c>orders/{a}</c> and <c>orders/{b}</c> overlap).
    /// </summary>
    public static string ShapeOf(UrlTemplate template)
    {
        var shape = new StringBuilder();
        foreach (var part in template.Parts)
            shape.Append(part.IsPlaceholder ? "{}" : part.Text);
        var key = shape.ToString();
        return key.StartsWith("./", StringComparison.Ordinal) ? key.Substring(2) : key;
    }

    // A template is absolute only with an http(s) scheme; anything else that looks like a scheme would be
    // taken as one by Uri and never resolve against the client's base address. Returns whether it is absolute.
    private static bool CheckScheme(string text, ImmutableArray<UrlTemplateProblem>.Builder problems)
    {
        if (text.StartsWith("//", StringComparison.Ordinal))
        {
            problems.Add(new(UrlTemplateProblemKind.Malformed, 0, 2,
                "a URL starting with '//' has no scheme; write 'https://host/...' or a path relative to the client's base address"));
            return false;
        }

        var colon = text.IndexOf(':');
        if (colon <= 0 || !IsScheme(text, colon))
            return false;

        var scheme = text.Substring(0, colon);
        if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(new(UrlTemplateProblemKind.Malformed, 0, colon + 1,
                $"'{scheme}:' reads as a URL scheme and streams are http or https; write './{text}' for a relative path"));
            return false;
        }

        var sample = text.Replace("{", "x").Replace("}", "x");
        if (!text.Substring(colon).StartsWith("://", StringComparison.Ordinal)
            || !Uri.TryCreate(sample, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            problems.Add(new(UrlTemplateProblemKind.Malformed, 0, text.Length, "it is not a valid absolute URL"));
        }
        return true;
    }

    private static bool IsScheme(string text, int colon)
    {
        if (!IsAsciiLetter(text[0]))
            return false;
        for (var i = 1; i < colon; i++)
        {
            var c = text[i];
            if (!IsAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.')
                return false;
        }
        return true;
    }

    private static void Flush(StringBuilder literal, List<UrlTemplatePart> parts)
    {
        if (literal.Length == 0)
            return;
        parts.Add(new UrlTemplatePart(literal.ToString(), IsPlaceholder: false));
        literal.Clear();
    }

    // RFC 3986 unreserved and reserved characters (minus '?', '#', '[', ']' which have their own meaning),
    // plus non-ASCII text, which Uri escapes as an IRI.
    private static bool IsUrlCharacter(char c) =>
        c > 127
            ? !char.IsWhiteSpace(c) && !char.IsControl(c)
            : IsAsciiLetter(c) || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=:@/".IndexOf(c) >= 0;

    private static bool IsPercentEscape(string text, int i) =>
        i + 2 < text.Length && IsHexDigit(text[i + 1]) && IsHexDigit(text[i + 2]);

    private static bool IsHexDigit(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

    private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

    private static string Printable(char c) => c switch
    {
        ' ' => "space",
        '\t' => "\\t",
        '\r' => "\\r",
        '\n' => "\\n",
        _ when char.IsControl(c) => $"\\u{(int)c:X4}",
        _ => c.ToString(),
    };
}
