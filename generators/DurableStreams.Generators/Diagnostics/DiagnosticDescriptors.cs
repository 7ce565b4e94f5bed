using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DurableStreams.Generators.Diagnostics;

/// <summary>
/// Every diagnostic about <c>[DurableStream]</c> declarations. Ids are stable: never renumber or reuse one;
/// record changes in AnalyzerReleases.Unshipped.md.
/// </summary>
internal static partial class DiagnosticDescriptors
{
    public const string Category = "DurableStreams";

    // One page documents every id; each id is an anchor on it.
    private const string HelpLinkBase = "https://github.com/DurableStreams/DurableStreams.Typed/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor NotInAnyJsonContext = Error(
        "DSG001",
        "Stream message type is not listed in any JsonSerializerContext",
        "'{0}' is not listed in any JsonSerializerContext of this project; add [JsonSerializable(typeof({1}))] to one, or name one with JsonContext = typeof(...)");

    public static readonly DiagnosticDescriptor NotInNamedJsonContext = Error(
        "DSG002",
        "Stream message type is not listed in the named JsonSerializerContext",
        "'{0}' is not listed in JsonSerializerContext '{1}'; add [JsonSerializable(typeof({2}))] to it");

    public static readonly DiagnosticDescriptor JsonContextNotAContext = Error(
        "DSG003",
        "JsonContext is not a JsonSerializerContext",
        "JsonContext '{0}' does not derive from System.Text.Json.Serialization.JsonSerializerContext");

    public static readonly DiagnosticDescriptor MalformedUrlTemplate = Error(
        "DSG004",
        "Malformed stream URL template",
        "The stream URL template \"{0}\" is malformed: {1}");

    public static readonly DiagnosticDescriptor InvalidPlaceholderName = Error(
        "DSG005",
        "Invalid URL template placeholder name",
        "'{{{0}}}' is not a valid placeholder: its name becomes a C# parameter, so it must be an identifier");

    public static readonly DiagnosticDescriptor DuplicatePlaceholder = Error(
        "DSG006",
        "Duplicate URL template placeholder",
        "The placeholder '{{{0}}}' appears more than once in the stream URL template");

    public static readonly DiagnosticDescriptor QueryOrFragment = Error(
        "DSG007",
        "Stream URL template has a query string or fragment",
        "The stream URL template has {0}: a stream is addressed by its path alone, and reads add their own query parameters");

    public static readonly DiagnosticDescriptor ReservedPlaceholder = Error(
        "DSG008",
        "URL template placeholder collides with a generated parameter",
        "The placeholder '{{{0}}}' has the name of a parameter the generated methods already take; rename it");

    public static readonly DiagnosticDescriptor GenericMessageType = Error(
        "DSG009",
        "Stream message type is generic",
        "'{0}' is generic or nested in a generic type; a stream has one message type, so declare [DurableStream] on a closed, non-generic type");

    public static readonly DiagnosticDescriptor InaccessibleMessageType = Error(
        "DSG010",
        "Stream message type is not accessible",
        "'{0}' is private, protected or file-local (or nested in such a type), so the generated '{1}' class cannot refer to it");

    public static readonly DiagnosticDescriptor DuplicateStreamUrl = Warning(
        "DSG011",
        "Two message types claim the same stream URL",
        "'{0}' declares the stream URL \"{2}\", which '{1}' also claims; reading one type's stream as the other's fails at run time");

    public static readonly DiagnosticDescriptor InaccessibleJsonContext = Error(
        "DSG012",
        "JsonContext is not accessible",
        "JsonContext '{0}' is private, protected or file-local, so the generated '{1}' class cannot refer to it");

    /// <summary>Every descriptor, <c>[DurableStream]</c> and <c>[DurableState]</c> ones alike.</summary>
    public static ImmutableArray<DiagnosticDescriptor> All => [.. Streams, .. States];

    /// <summary>What <see cref="DurableStreamAnalyzer"/> reports.</summary>
    public static ImmutableArray<DiagnosticDescriptor> Streams { get; } =
    [
        NotInAnyJsonContext, NotInNamedJsonContext, JsonContextNotAContext, MalformedUrlTemplate, InvalidPlaceholderName,
        DuplicatePlaceholder, QueryOrFragment, ReservedPlaceholder, GenericMessageType, InaccessibleMessageType,
        DuplicateStreamUrl, InaccessibleJsonContext,
    ];

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        Create(id, title, message, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        Create(id, title, message, DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());
}
