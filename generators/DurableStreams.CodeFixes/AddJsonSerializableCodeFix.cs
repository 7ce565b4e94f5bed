using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableStreams.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace DurableStreams.CodeFixes;

/// <summary>
/// Fixes DSG001 and DSG002 (stream message types) and DSG022 and DSG023 (state entities) by adding
/// <c>[JsonSerializable(typeof(T))]</c> to the context that should list the type: the named one, or the
/// project's only one. The context may live in another file.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddJsonSerializableCodeFix)), Shared]
public sealed class AddJsonSerializableCodeFix : CodeFixProvider
{
    private const string JsonSerializableAttribute = "global::System.Text.Json.Serialization.JsonSerializable";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        [
            DiagnosticDescriptors.NotInAnyJsonContext.Id, DiagnosticDescriptors.NotInNamedJsonContext.Id,
            DiagnosticDescriptors.EntityNotInAnyJsonContext.Id, DiagnosticDescriptors.EntityNotInNamedJsonContext.Id,
        ];

    // Each fix edits one context; several at once could insert at the same spot, so no fix-all.
    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.MessageType, out var messageType) || messageType is null
                || !diagnostic.Properties.TryGetValue(DiagnosticProperties.JsonContext, out var contextId) || contextId is null)
            {
                continue;
            }

            var compilation = await context.Document.Project.GetCompilationAsync(context.CancellationToken).ConfigureAwait(false);
            if (compilation is null || DocumentationCommentId.GetFirstSymbolForDeclarationId(contextId, compilation) is not INamedTypeSymbol jsonContext)
                continue;

            var shortType = messageType.Substring(messageType.LastIndexOf('.') + 1);
            var title = $"Add [JsonSerializable(typeof({shortType}))] to {jsonContext.Name}";
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => AddListingAsync(context.Document.Project.Solution, jsonContext, messageType, ct), equivalenceKey: title),
                diagnostic);
        }
    }

    private static async Task<Solution> AddListingAsync(Solution solution, INamedTypeSymbol jsonContext, string messageType, CancellationToken cancellationToken)
    {
        // Of the context's partial declarations, prefer one the user wrote that already lists types.
        ClassDeclarationSyntax? target = null;
        Document? document = null;
        foreach (var reference in jsonContext.DeclaringSyntaxReferences)
        {
            if (await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is not ClassDeclarationSyntax declaration
                || solution.GetDocument(declaration.SyntaxTree) is not { } candidate)
            {
                continue;
            }
            if (target is null || (!ListsTypes(target) && ListsTypes(declaration)))
            {
                target = declaration;
                document = candidate;
            }
        }
        if (target is null || document is null)
            return solution;

        var attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(
                    SyntaxFactory.ParseName(JsonSerializableAttribute),
                    SyntaxFactory.ParseAttributeArgumentList($"(typeof({messageType}))"))))
            .WithTrailingTrivia(LineEnding(target.SyntaxTree.GetRoot(cancellationToken)))
            .WithAdditionalAnnotations(Simplifier.Annotation);

        // After the last listing, on its own line; or first, taking over the declaration's leading trivia
        // (blank lines, comments) so they stay above the attributes.
        ClassDeclarationSyntax updated;
        if (target.AttributeLists.LastOrDefault(ListsType) is { } last)
        {
            var lists = target.AttributeLists;
            updated = target.WithAttributeLists(lists.Insert(lists.IndexOf(last) + 1, attribute.WithLeadingTrivia(Indentation(last.GetLeadingTrivia()))));
        }
        else
        {
            var leading = target.GetLeadingTrivia();
            updated = target.WithLeadingTrivia(Indentation(leading));
            updated = updated.WithAttributeLists(updated.AttributeLists.Insert(0, attribute.WithLeadingTrivia(leading)));
        }

        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return root is null ? solution : solution.WithDocumentSyntaxRoot(document.Id, root.ReplaceNode(target, updated));
    }

    // The file's own line ending, so the fix does not mix \n and \r\n.
    private static SyntaxTrivia LineEnding(SyntaxNode root) =>
        root.DescendantTrivia().FirstOrDefault(static t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { RawKind: not 0 } ending
            ? ending
            : SyntaxFactory.EndOfLine("\n");

    private static SyntaxTriviaList Indentation(SyntaxTriviaList leading) =>
        SyntaxFactory.TriviaList(leading.Reverse().TakeWhile(static t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());

    private static bool ListsTypes(ClassDeclarationSyntax declaration) => declaration.AttributeLists.Any(ListsType);

    private static bool ListsType(AttributeListSyntax list) =>
        list.Attributes.Any(static a => a.Name.ToString().Contains("JsonSerializable"));
}
