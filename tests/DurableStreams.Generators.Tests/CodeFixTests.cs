using DurableStreams.CodeFixes;
using DurableStreams.Generators.Diagnostics;
using DurableStreams.Generators.Tests.Support;
using Microsoft.CodeAnalysis.Testing;
using static DurableStreams.Generators.Tests.Support.Expect;

namespace DurableStreams.Generators.Tests;

/// <summary>The code fix that adds the missing <c>[JsonSerializable]</c> to the right context.</summary>
public sealed class CodeFixTests
{
    [Fact]
    public Task DSG001_lists_the_type_in_the_projects_only_context()
    {
        const string source = """
            using System.Text.Json.Serialization;
            using DurableStreams;

            namespace Shop;

            [DurableStream("orders")]
            public record Order(string Id);

            public record Other(string Id);

            // The project's JSON metadata.
            [JsonSerializable(typeof(Other))]
            [JsonSourceGenerationOptions(WriteIndented = true)]
            internal partial class AppJson : JsonSerializerContext;
            """;
        const string fixedSource = """
            using System.Text.Json.Serialization;
            using DurableStreams;

            namespace Shop;

            [DurableStream("orders")]
            public record Order(string Id);

            public record Other(string Id);

            // The project's JSON metadata.
            [JsonSerializable(typeof(Other))]
            [JsonSerializable(typeof(Order))]
            [JsonSourceGenerationOptions(WriteIndented = true)]
            internal partial class AppJson : JsonSerializerContext;
            """;
        return CodeFixTest.VerifyAsync(source, fixedSource,
            At(DiagnosticDescriptors.NotInAnyJsonContext, source, "DurableStream(\"orders\")").WithArguments("Shop.Order", "Order"));
    }

    [Fact]
    public Task DSG002_lists_the_type_in_the_named_context_in_another_file()
    {
        const string source = """
            using DurableStreams;

            namespace Shop
            {
                [DurableStream("orders", JsonContext = typeof(Wire.WireJson))]
                public record Order(string Id);
            }
            """;
        // Of the context's two parts, the fix goes to the one that already lists types.
        const string context = """
            using System.Text.Json.Serialization;

            namespace Wire
            {
                /// <summary>Wire format.</summary>
                internal partial class WireJson : JsonSerializerContext;

                [JsonSerializable(typeof(int))]
                internal partial class WireJson;
            }
            """;
        const string fixedContext = """
            using System.Text.Json.Serialization;

            namespace Wire
            {
                /// <summary>Wire format.</summary>
                internal partial class WireJson : JsonSerializerContext;

                [JsonSerializable(typeof(int))]
                [JsonSerializable(typeof(Shop.Order))]
                internal partial class WireJson;
            }
            """;
        var test = new CodeFixTest(
            [source, context],
            [source, fixedContext],
            At(DiagnosticDescriptors.NotInNamedJsonContext, source, "typeof(Wire.WireJson)").WithArguments("Shop.Order", "Wire.WireJson", "Order"));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task DSG001_gives_an_empty_context_its_first_listing_above_its_comments()
    {
        const string source = """
            using System.Text.Json.Serialization;
            using DurableStreams;

            namespace Shop;

            [DurableStream("orders")]
            public record Order(string Id);

            // Written by hand; System.Text.Json implements it once it lists a type.
            internal partial class AppJson : JsonSerializerContext;
            """;
        const string fixedSource = """
            using System.Text.Json.Serialization;
            using DurableStreams;

            namespace Shop;

            [DurableStream("orders")]
            public record Order(string Id);

            // Written by hand; System.Text.Json implements it once it lists a type.
            [JsonSerializable(typeof(Order))]
            internal partial class AppJson : JsonSerializerContext;
            """;
        // Until it lists a type, the JSON generator leaves the context unimplemented.
        return CodeFixTest.VerifyAsync(source, fixedSource,
            At(DiagnosticDescriptors.NotInAnyJsonContext, source, "DurableStream(\"orders\")").WithArguments("Shop.Order", "Order"),
            CompilerErrorAt("CS0534", source, "AppJson")
                .WithArguments("Shop.AppJson", "System.Text.Json.Serialization.JsonSerializerContext.GeneratedSerializerOptions.get"),
            CompilerErrorAt("CS0534", source, "AppJson")
                .WithArguments("Shop.AppJson", "System.Text.Json.Serialization.JsonSerializerContext.GetTypeInfo(System.Type)"),
            CompilerErrorAt("CS7036", source, "AppJson")
                .WithArguments("options", "System.Text.Json.Serialization.JsonSerializerContext.JsonSerializerContext(System.Text.Json.JsonSerializerOptions?)"));
    }

    [Fact]
    public Task DSG001_offers_no_fix_when_the_context_is_ambiguous()
    {
        const string source = """
            using System.Text.Json.Serialization;
            using DurableStreams;

            [DurableStream("orders")]
            public record Order(string Id);

            [JsonSerializable(typeof(int))]
            internal partial class OneJson : JsonSerializerContext;

            [JsonSerializable(typeof(long))]
            internal partial class TwoJson : JsonSerializerContext;
            """;
        return CodeFixTest.VerifyAsync(source, source,
            At(DiagnosticDescriptors.NotInAnyJsonContext, source, "DurableStream(\"orders\")").WithArguments("Order", "Order"));
    }
}
