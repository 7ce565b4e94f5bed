using System;
using System.Collections.Immutable;
using System.Linq;
using DurableStreams.Generators.Diagnostics;
using DurableStreams.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace DurableStreams.Generators.Parsing;

/// <summary>
/// Reads the URL template argument of <c>[DurableStream]</c> or <c>[DurableState]</c> and turns each problem
/// the parser finds into a DSG004-DSG008 diagnostic on the offending characters.
/// </summary>
internal static class UrlTemplateReader
{
    /// <summary>The parsed template, or null when it is missing, not constant, or has problems (reported).</summary>
    /// <param name="attribute">The attribute whose first constructor argument is the template.</param>
    /// <param name="syntax">Its syntax, for locations.</param>
    /// <param name="isReserved">Names the generated methods already use as parameters.</param>
    /// <param name="diagnostics">Receives the problems.</param>
    public static UrlTemplate? Read(AttributeData attribute, AttributeSyntax? syntax, Func<string, bool> isReserved,
        ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        // A non-constant or missing argument is already a compiler error; nothing to add.
        if (attribute.ConstructorArguments is not [{ Value: var value }] || value is not (string or null))
            return null;

        var text = (string?)value;
        var (template, problems) = UrlTemplateParser.Parse(text, isReserved);
        var argument = TemplateArgument(syntax);
        foreach (var problem in problems)
        {
            var location = ProblemLocation(argument, text ?? "", problem);
            diagnostics.Add(problem.Kind switch
            {
                UrlTemplateProblemKind.InvalidPlaceholderName => Diagnostic.Create(DiagnosticDescriptors.InvalidPlaceholderName, location, problem.Detail),
                UrlTemplateProblemKind.DuplicatePlaceholder => Diagnostic.Create(DiagnosticDescriptors.DuplicatePlaceholder, location, problem.Detail),
                UrlTemplateProblemKind.ReservedPlaceholder => Diagnostic.Create(DiagnosticDescriptors.ReservedPlaceholder, location, problem.Detail),
                UrlTemplateProblemKind.QueryOrFragment => Diagnostic.Create(DiagnosticDescriptors.QueryOrFragment, location, problem.Detail),
                _ => Diagnostic.Create(DiagnosticDescriptors.MalformedUrlTemplate, location, text ?? "", problem.Detail),
            });
        }
        return template;
    }

    /// <summary>The template argument: the first positional one, or else the named one.</summary>
    public static ExpressionSyntax? TemplateArgument(AttributeSyntax? syntax) =>
        syntax?.ArgumentList?.Arguments.FirstOrDefault(static a => a.NameEquals is null && a.NameColon is null)?.Expression
        ?? syntax?.ArgumentList?.Arguments.FirstOrDefault(static a => a.NameColon is not null)?.Expression;

    // Point at the offending characters when the argument is a plain literal whose text maps one-to-one
    // onto its value; otherwise (escapes, verbatim strings, constants) at the whole argument.
    private static Location? ProblemLocation(ExpressionSyntax? argument, string text, UrlTemplateProblem problem)
    {
        if (argument is null)
            return null;
        if (argument is LiteralExpressionSyntax literal && literal.Token.Text == "\"" + text + "\"" && problem.Length > 0)
            return Location.Create(argument.SyntaxTree, new TextSpan(literal.Token.SpanStart + 1 + problem.Start, problem.Length));
        return argument.GetLocation();
    }
}
