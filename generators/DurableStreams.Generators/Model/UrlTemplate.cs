using System.Collections.Generic;
using System.Linq;

namespace DurableStreams.Generators.Model;

/// <summary>A parsed, valid stream URL template: literal text and <c>{name}</c> placeholders, in order.</summary>
/// <param name="Text">The template exactly as written in the attribute.</param>
/// <param name="Parts">The pieces that make it up.</param>
/// <param name="IsAbsolute">Whether it is a full http(s) URL rather than a path under the client's base address.</param>
internal sealed record UrlTemplate(string Text, EquatableArray<UrlTemplatePart> Parts, bool IsAbsolute)
{
    public IEnumerable<string> PlaceholderNames => Parts.Where(static p => p.IsPlaceholder).Select(static p => p.Text);
}

/// <summary>Literal URL text, or the name of a placeholder.</summary>
internal readonly record struct UrlTemplatePart(string Text, bool IsPlaceholder);
