using System.Collections.Immutable;
using DurableStreams.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace DurableStreams.Generators.Diagnostics;

/// <summary>Data a missing-listing diagnostic carries for the code fix that adds <c>[JsonSerializable]</c>.</summary>
internal static class DiagnosticProperties
{
    /// <summary>The message type, as <c>typeof</c> should name it (<c>global::</c>-qualified).</summary>
    public const string MessageType = nameof(MessageType);

    /// <summary>The context to add the attribute to, as a documentation id; absent when there is no single obvious one.</summary>
    public const string JsonContext = nameof(JsonContext);

    public static ImmutableDictionary<string, string?> ForMissingListing(INamedTypeSymbol messageType, INamedTypeSymbol? context)
    {
        var properties = ImmutableDictionary<string, string?>.Empty.Add(MessageType, SymbolNames.FullyQualified(messageType));
        return context is null
            ? properties
            : properties.Add(JsonContext, context.GetDocumentationCommentId());
    }
}
