using DurableStreams.Generators.Diagnostics;
using DurableStreams.Generators.Tests.Support;
using Microsoft.CodeAnalysis.Testing;
using static DurableStreams.Generators.Tests.Support.Expect;

namespace DurableStreams.Generators.Tests;

/// <summary>Every DSG diagnostic, each at the location it should underline, with its message arguments.</summary>
public sealed class DiagnosticTests
{
    private const string Usings = """
        using System.Text.Json.Serialization;
        using DurableStreams;

        """;

    [Fact]
    public Task A_valid_declaration_has_no_diagnostics() => GeneratorAndAnalyzerTest.VerifyAsync(Usings + """
        [DurableStream("orders/{tenant}")]
        public record Order(string Id);

        [JsonSerializable(typeof(Order))]
        internal partial class AppJson : JsonSerializerContext;
        """);

    [Fact]
    public Task DSG001_type_not_listed_in_any_context()
    {
        const string source = Usings + """
            [DurableStream("orders")]
            public record Order(string Id);

            [JsonSerializable(typeof(string))]
            internal partial class AppJson : JsonSerializerContext;
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(DiagnosticDescriptors.NotInAnyJsonContext, source, "DurableStream(\"orders\")").WithArguments("Order", "Order"));
    }

    [Fact]
    public Task DSG001_a_context_generated_code_cannot_reach_does_not_count()
    {
        const string source = Usings + """
            [DurableStream("orders")]
            public record Order(string Id);

            public partial class Outer
            {
                [JsonSerializable(typeof(Order))]
                private partial class HiddenJson : JsonSerializerContext;
            }
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(DiagnosticDescriptors.NotInAnyJsonContext, source, "DurableStream(\"orders\")").WithArguments("Order", "Order"));
    }

    [Fact]
    public Task DSG002_type_not_listed_in_the_named_context()
    {
        const string source = Usings + """
            [DurableStream("orders", JsonContext = typeof(AppJson))]
            public record Order(string Id);

            [JsonSerializable(typeof(string))]
            internal partial class AppJson : JsonSerializerContext;

            [JsonSerializable(typeof(Order))]
            internal partial class OtherJson : JsonSerializerContext;
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(DiagnosticDescriptors.NotInNamedJsonContext, source, "typeof(AppJson)").WithArguments("Order", "AppJson", "Order"));
    }

    [Fact]
    public Task DSG003_json_context_is_not_a_context()
    {
        const string source = Usings + """
            [DurableStream("orders", JsonContext = typeof(string))]
            public record Order(string Id);
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(DiagnosticDescriptors.JsonContextNotAContext, source, "typeof(string)").WithArguments("string"));
    }

    [Theory]
    [InlineData("orders/{tenant", 7, 1, "the '{' at position 7 has no matching '}'")]
    [InlineData("orders/{a{b}", 7, 1, "the '{' at position 7 has no matching '}'")]
    [InlineData("orders/tenant}", 13, 1, "the '}' at position 13 has no matching '{'")]
    [InlineData("my orders", 2, 1, "'space' is not allowed in a URL; escape it as %XX")]
    [InlineData("orders/100%", 10, 1, "the '%' at position 10 does not start an escape like %2F")]
    [InlineData("ftp://host/orders", 0, 4, "'ftp:' reads as a URL scheme and streams are http or https; write './ftp://host/orders' for a relative path")]
    [InlineData("//host/orders", 0, 2, "a URL starting with '//' has no scheme; write 'https://host/...' or a path relative to the client's base address")]
    [InlineData("https:orders", 0, 12, "it is not a valid absolute URL")]
    public Task DSG004_malformed_template_points_at_the_offending_text(string template, int position, int length, string detail)
    {
        var source = Template(template);
        var start = source.IndexOf('"' + template, StringComparison.Ordinal) + 1 + position;
        var (line, column) = (source[..start].Count(c => c == '\n') + 1, start - source.LastIndexOf('\n', start));
        var expected = new DiagnosticResult(DiagnosticDescriptors.MalformedUrlTemplate).WithSpan(line, column, line, column + length);
        return GeneratorAndAnalyzerTest.VerifyAsync(source, expected.WithArguments(template, detail));
    }

    [Fact]
    public Task DSG004_empty_template_and_constant_templates_underline_the_argument()
    {
        const string source = Usings + """
            [DurableStream(Routes.Empty)]
            public record Order(string Id);

            [JsonSerializable(typeof(Order))]
            internal partial class AppJson : JsonSerializerContext;

            internal static class Routes
            {
                public const string Empty = "  ";
            }
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(DiagnosticDescriptors.MalformedUrlTemplate, source, "Routes.Empty").WithArguments("  ", "it is empty"));
    }

    [Theory]
    [InlineData("orders/{}", "{}", "")]
    [InlineData("orders/{1st}", "{1st}", "1st")]
    [InlineData("orders/{tenant-id}", "{tenant-id}", "tenant-id")]
    public Task DSG005_placeholder_names_must_be_identifiers(string template, string placeholder, string name)
    {
        var source = Template(template);
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(DiagnosticDescriptors.InvalidPlaceholderName, source, placeholder).WithArguments(name));
    }

    [Fact]
    public Task DSG006_duplicate_placeholder_points_at_the_repeat()
    {
        var source = Template("orders/{tenant}/{tenant}");
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(DiagnosticDescriptors.DuplicatePlaceholder, source, "{tenant}", occurrence: 1).WithArguments("tenant"));
    }

    [Theory]
    [InlineData("orders?tenant=acme", "?tenant=acme", "a query string")]
    [InlineData("orders#latest", "#latest", "a fragment")]
    public Task DSG007_query_string_or_fragment(string template, string tail, string what)
    {
        var source = Template(template);
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(DiagnosticDescriptors.QueryOrFragment, source, tail).WithArguments(what));
    }

    [Theory]
    [InlineData("client")]
    [InlineData("cancellationToken")]
    public Task DSG008_placeholder_named_like_a_generated_parameter(string name)
    {
        var source = Template($"orders/{{{name}}}");
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(DiagnosticDescriptors.ReservedPlaceholder, source, $"{{{name}}}").WithArguments(name));
    }

    [Fact]
    public Task DSG009_generic_type_and_type_nested_in_a_generic()
    {
        const string source = Usings + """
            [DurableStream("envelopes")]
            public record Envelope<T>(T Body);

            public class Container<T>
            {
                [DurableStream("items")]
                public record Item(string Id);
            }

            [JsonSerializable(typeof(Envelope<int>))]
            [JsonSerializable(typeof(Container<int>.Item))]
            internal partial class AppJson : JsonSerializerContext;
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(DiagnosticDescriptors.GenericMessageType, source, "Envelope", occurrence: 0).WithArguments("Envelope<T>"),
            At(DiagnosticDescriptors.GenericMessageType, source, "Item", occurrence: 0).WithArguments("Container<T>.Item"));
    }

    [Fact]
    public Task DSG010_private_protected_and_file_local_types()
    {
        const string source = Usings + """
            public partial class Outer
            {
                [DurableStream("private")]
                private record Hidden(string Id);

                [DurableStream("protected")]
                protected record Guarded(string Id);

                [JsonSerializable(typeof(Hidden))]
                [JsonSerializable(typeof(Guarded))]
                private partial class OuterJson : JsonSerializerContext;
            }

            [DurableStream("file")]
            file record Local(string Id);
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(DiagnosticDescriptors.InaccessibleMessageType, source, "Hidden").WithArguments("Outer.Hidden", "OuterHiddenStream"),
            At(DiagnosticDescriptors.InaccessibleMessageType, source, "Guarded").WithArguments("Outer.Guarded", "OuterGuardedStream"),
            At(DiagnosticDescriptors.InaccessibleMessageType, source, "Local").WithArguments("Local", "LocalStream"));
    }

    [Fact]
    public Task DSG011_two_types_claiming_the_same_url_warn_on_both()
    {
        const string source = Usings + """
            [DurableStream("orders/{tenant}")]
            public record OrderPlaced(string Id);

            [DurableStream("orders/{customer}")]
            public record OrderShipped(string Id);

            [DurableStream("invoices/{tenant}")]
            public record InvoiceIssued(string Id);

            [JsonSerializable(typeof(OrderPlaced))]
            [JsonSerializable(typeof(OrderShipped))]
            [JsonSerializable(typeof(InvoiceIssued))]
            internal partial class AppJson : JsonSerializerContext;
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(DiagnosticDescriptors.DuplicateStreamUrl, source, "\"orders/{tenant}\"").WithArguments("OrderPlaced", "OrderShipped", "orders/{tenant}"),
            At(DiagnosticDescriptors.DuplicateStreamUrl, source, "\"orders/{customer}\"").WithArguments("OrderShipped", "OrderPlaced", "orders/{customer}"));
    }

    [Fact]
    public Task DSG011_can_be_suppressed_with_a_pragma() => GeneratorAndAnalyzerTest.VerifyAsync(Usings + """
        #pragma warning disable DSG011 // Both types are read from the same mixed stream on purpose.
        [DurableStream("orders")]
        public record OrderPlaced(string Id);

        [DurableStream("orders")]
        public record OrderShipped(string Id);
        #pragma warning restore DSG011

        [JsonSerializable(typeof(OrderPlaced))]
        [JsonSerializable(typeof(OrderShipped))]
        internal partial class AppJson : JsonSerializerContext;
        """);

    [Fact]
    public Task DSG012_named_context_that_generated_code_cannot_reach()
    {
        // The declaration can see the private context; the generated class, outside Outer, cannot.
        const string source = Usings + """
            public partial class Outer
            {
                [DurableStream("orders", JsonContext = typeof(HiddenJson))]
                public record Order(string Id);

                [JsonSerializable(typeof(Order))]
                private partial class HiddenJson : JsonSerializerContext;
            }
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(DiagnosticDescriptors.InaccessibleJsonContext, source, "typeof(HiddenJson)").WithArguments("Outer.HiddenJson", "OuterOrderStream"));
    }

    [Fact]
    public void Every_descriptor_has_a_help_link_and_is_tracked_in_the_release_files()
    {
        var releases = File.ReadAllText(Path.Combine(RepositoryPaths.Generators, "AnalyzerReleases.Unshipped.md"))
            + File.ReadAllText(Path.Combine(RepositoryPaths.Generators, "AnalyzerReleases.Shipped.md"));
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            Assert.Equal(DiagnosticDescriptors.Category, descriptor.Category);
            Assert.EndsWith("#" + descriptor.Id.ToLowerInvariant(), descriptor.HelpLinkUri, StringComparison.Ordinal);
            Assert.Contains($"{descriptor.Id} | {descriptor.Category} | {descriptor.DefaultSeverity}", releases, StringComparison.Ordinal);
        }
        Assert.Equal(DiagnosticDescriptors.All.Length, DiagnosticDescriptors.All.Select(d => d.Id).Distinct().Count());
    }

    private static string Template(string template) => Usings + $$"""
        [DurableStream("{{template}}")]
        public record Order(string Id);

        [JsonSerializable(typeof(Order))]
        internal partial class AppJson : JsonSerializerContext;
        """;
}
