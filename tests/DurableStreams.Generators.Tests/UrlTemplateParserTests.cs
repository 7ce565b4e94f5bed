using DurableStreams.Generators.Model;
using DurableStreams.Generators.Parsing;

namespace DurableStreams.Generators.Tests;

/// <summary>The template grammar on its own: pieces, absoluteness, and the URL shape used to find clashes.</summary>
public sealed class UrlTemplateParserTests
{
    [Fact]
    public void Splits_literals_and_placeholders_in_order()
    {
        var template = Parse("tenants/{tenant}/orders-{year}");

        Assert.Equal(
            [new("tenants/", false), new("tenant", true), new("/orders-", false), new("year", true)],
            template.Parts.ToArray());
        Assert.Equal(["tenant", "year"], template.PlaceholderNames);
        Assert.False(template.IsAbsolute);
    }

    [Theory]
    [InlineData("https://host/v1/stream/x", true)]
    [InlineData("HTTP://host:8080/{id}", true)]
    [InlineData("/v1/stream/x", false)]
    [InlineData("./x:y", false)]
    [InlineData("caf\u00e9/{id}", false)]
    [InlineData("a%2Fb/{id}", false)]
    public void Accepts_absolute_http_urls_and_relative_paths(string text, bool absolute) =>
        Assert.Equal(absolute, Parse(text).IsAbsolute);

    [Theory]
    [InlineData("orders/{a}", "orders/{b}")]
    [InlineData("./orders/{a}", "orders/{b}")]
    public void Templates_differing_only_in_placeholder_names_have_one_shape(string left, string right) =>
        Assert.Equal(UrlTemplateParser.ShapeOf(Parse(left)), UrlTemplateParser.ShapeOf(Parse(right)));

    [Fact]
    public void Reports_every_problem_not_just_the_first()
    {
        var (template, problems) = UrlTemplateParser.Parse("a b/{x}/{x}/{client}?q");

        Assert.Null(template);
        Assert.Equal(
            [UrlTemplateProblemKind.Malformed, UrlTemplateProblemKind.DuplicatePlaceholder, UrlTemplateProblemKind.ReservedPlaceholder, UrlTemplateProblemKind.QueryOrFragment],
            problems.Select(p => p.Kind));
    }

    [Fact]
    public void Equal_templates_are_equal_values() =>
        Assert.Equal(Parse("orders/{tenant}"), Parse("orders/{tenant}"));

    private static UrlTemplate Parse(string text)
    {
        var (template, problems) = UrlTemplateParser.Parse(text);
        Assert.Empty(problems);
        return template!;
    }
}
