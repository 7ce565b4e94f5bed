namespace DurableStreams.Generators.Parsing;

/// <summary>What is wrong with a stream URL template.</summary>
internal enum UrlTemplateProblemKind
{
    Malformed,
    InvalidPlaceholderName,
    DuplicatePlaceholder,
    QueryOrFragment,
    ReservedPlaceholder,
}

/// <summary>One problem in a template, with the span of the template text it is about.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Start">Offset of the offending text in the template.</param>
/// <param name="Length">Length of the offending text.</param>
/// <param name="Detail">The offending text or an explanation, for the diagnostic message.</param>
internal readonly record struct UrlTemplateProblem(UrlTemplateProblemKind Kind, int Start, int Length, string Detail);
