using System.Reflection;
using DurableStreams.Generators.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DurableStreams.Generators.Tests;

/// <summary>
/// The pipeline does no work, and emits nothing new, when what it depends on has not changed; and its
/// model holds only plain values, never compiler objects.
/// </summary>
public sealed class IncrementalityTests
{
    private const string Declarations = """
        using System.Text.Json.Serialization;
        using DurableStreams;
        using DurableStreams.State;

        namespace Shop;

        [DurableStream("orders/{tenant}")]
        public record OrderPlaced(string OrderId, decimal Total);

        [DurableStream("carts/{cartId}", JsonContext = typeof(AppJson))]
        public record CartEvent(string CartId);

        [StateEntity("cart")]
        public sealed record Cart([StateKey] string CartId, int Items);

        [DurableState("cart-state/{tenant}")]
        [StateCollection<Cart>("Carts")]
        public partial class CartState;

        [JsonSerializable(typeof(OrderPlaced))]
        [JsonSerializable(typeof(CartEvent))]
        [JsonSerializable(typeof(Cart))]
        internal partial class AppJson : JsonSerializerContext;

        internal static class Helpers
        {
            public static int Answer() => 42;
        }
        """;

    private static readonly string[] StepNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    [Fact]
    public void Running_twice_on_the_same_input_reuses_every_step()
    {
        var compilation = TestCompilation.Create(Declarations);
        var (first, second) = RunTwice(compilation, compilation.Clone());

        AssertEveryStepReused(first, second);
    }

    [Fact]
    public void An_unrelated_new_file_reuses_every_step()
    {
        var compilation = TestCompilation.Create(Declarations);
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Shop; internal sealed class Unrelated { public int Value { get; set; } }", TestCompilation.ParseOptions,
            cancellationToken: TestContext.Current.CancellationToken));
        var (first, second) = RunTwice(compilation, edited);

        AssertEveryStepReused(first, second);
    }

    [Fact]
    public void Editing_a_method_body_next_to_the_declarations_reuses_every_step()
    {
        var compilation = TestCompilation.Create(Declarations);
        var edited = ReplaceSource(compilation, Declarations.Replace("=> 42", "=> 41 + 1", StringComparison.Ordinal));
        var (first, second) = RunTwice(compilation, edited);

        AssertEveryStepReused(first, second);
    }

    [Fact]
    public void Adding_an_unrelated_context_changes_the_index_but_not_the_stream_or_state_classes()
    {
        var compilation = TestCompilation.Create(Declarations);
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("""
            [System.Text.Json.Serialization.JsonSerializable(typeof(int))]
            internal partial class NumbersJson : System.Text.Json.Serialization.JsonSerializerContext;
            """, TestCompilation.ParseOptions, cancellationToken: TestContext.Current.CancellationToken));
        var (_, second) = RunTwice(compilation, edited);

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(second, TrackingNames.JsonContextIndex));
        Assert.All(Reasons(second, TrackingNames.StreamClasses), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
        Assert.All(Reasons(second, TrackingNames.StateClasses), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
        AssertOutputsCached(second);
    }

    [Fact]
    public void Changing_a_template_regenerates_only_that_stream()
    {
        var compilation = TestCompilation.Create(Declarations);
        var edited = ReplaceSource(compilation, Declarations.Replace("orders/{tenant}", "orders/{region}", StringComparison.Ordinal));
        var (_, second) = RunTwice(compilation, edited);

        var outputs = OutputReasons(second);
        Assert.Equal(1, outputs.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(2, outputs.Count(r => r == IncrementalStepRunReason.Cached));
    }

    [Fact]
    public void Changing_a_state_entity_key_regenerates_only_the_state()
    {
        var compilation = TestCompilation.Create(Declarations);
        var edited = ReplaceSource(compilation, Declarations.Replace("[StateKey] string CartId, int Items", "string CartId, [StateKey] int Items", StringComparison.Ordinal));
        var (_, second) = RunTwice(compilation, edited);

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(second, TrackingNames.StateDeclarations));
        Assert.All(Reasons(second, TrackingNames.StreamDeclarations), r => Assert.NotEqual(IncrementalStepRunReason.Modified, r));
        var outputs = OutputReasons(second);
        Assert.Equal(1, outputs.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(2, outputs.Count(r => r == IncrementalStepRunReason.Cached));
    }

    [Fact]
    public void Changing_an_entity_declared_in_another_file_regenerates_the_state()
    {
        const string entity = """
            using DurableStreams.State;
            namespace Shop;
            [StateEntity("wish")]
            public sealed record Wish([StateKey] string Id, string Text);
            """;
        const string state = """
            using DurableStreams.State;
            namespace Shop;
            [DurableState("wishes")]
            [StateCollection<Wish>("Wishes")]
            public partial class WishState;
            [System.Text.Json.Serialization.JsonSerializable(typeof(Wish))]
            internal partial class WishJson : System.Text.Json.Serialization.JsonSerializerContext;
            """;
        var compilation = TestCompilation.Create(entity, state);
        var old = compilation.SyntaxTrees.First();
        var edited = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(
            entity.Replace("[StateKey] string Id", "[StateKey] long Id", StringComparison.Ordinal), TestCompilation.ParseOptions, old.FilePath,
            cancellationToken: TestContext.Current.CancellationToken));
        var (first, second) = RunTwice(compilation, edited);

        var before = (Model.StateClassSpec)Assert.Single(Values(first, TrackingNames.StateClasses));
        var after = (Model.StateClassSpec)Assert.Single(Values(second, TrackingNames.StateClasses));
        Assert.Equal("string", before.State.Collections[0].KeyType);
        Assert.Equal("long", after.State.Collections[0].KeyType);
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(OutputReasons(second)));
    }

    [Fact]
    public void Equal_sources_give_equal_models()
    {
        var (first, second) = RunTwice(TestCompilation.Create(Declarations), TestCompilation.Create(Declarations));

        foreach (var name in StepNames)
            Assert.Equal(Values(first, name), Values(second, name));
    }

    [Fact]
    public void No_compiler_object_reaches_the_model()
    {
        var driver = GeneratorRunner.TrackingDriver().RunGenerators(TestCompilation.Create(Declarations), TestContext.Current.CancellationToken);
        var result = driver.GetRunResult().Results.Single();

        foreach (var name in StepNames)
        {
            var values = Values(result, name);
            Assert.NotEmpty(values);
            Assert.Empty(ModelWalker.FindCompilerObjects(values));
        }
    }

    [Fact]
    public void The_walk_notices_a_compiler_object_however_deep()
    {
        var compilation = TestCompilation.Create(Declarations);
        var leaky = new { Name = "spec", Parts = new object[] { 1, new KeyValuePair<string, object>("where", compilation.SyntaxTrees[0].GetRoot(TestContext.Current.CancellationToken).GetLocation()) } };

        Assert.NotEmpty(ModelWalker.FindCompilerObjects(leaky));
        Assert.NotEmpty(ModelWalker.FindCompilerObjects(new List<object> { compilation.Assembly }));
    }

    private static (GeneratorRunResult First, GeneratorRunResult Second) RunTwice(Compilation first, Compilation second)
    {
        var driver = GeneratorRunner.TrackingDriver().RunGenerators(first, TestContext.Current.CancellationToken);
        var firstResult = driver.GetRunResult().Results.Single();
        driver = driver.RunGenerators(second, TestContext.Current.CancellationToken);
        return (firstResult, driver.GetRunResult().Results.Single());
    }

    private static void AssertEveryStepReused(GeneratorRunResult first, GeneratorRunResult second)
    {
        foreach (var name in StepNames)
        {
            Assert.True(first.TrackedSteps.ContainsKey(name), $"Step '{name}' did not run.");
            Assert.Equal(Values(first, name), Values(second, name));
            Assert.All(Reasons(second, name), reason =>
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Step '{name}' was {reason}."));
        }
        AssertOutputsCached(second);
    }

    private static void AssertOutputsCached(GeneratorRunResult result)
    {
        var outputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(step => step.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    private static List<IncrementalStepRunReason> OutputReasons(GeneratorRunResult result) =>
        result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(step => step.Outputs).Select(o => o.Reason).ToList();

    private static List<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();

    private static List<object> Values(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value).ToList();

    private static Compilation ReplaceSource(Compilation compilation, string source)
    {
        var old = compilation.SyntaxTrees.Single();
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, TestCompilation.ParseOptions, old.FilePath));
    }
}
