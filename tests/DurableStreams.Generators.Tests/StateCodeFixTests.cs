using DurableStreams.Generators.Diagnostics;
using DurableStreams.Generators.Tests.Support;
using static DurableStreams.Generators.Tests.Support.Expect;

namespace DurableStreams.Generators.Tests;

/// <summary>The <c>[JsonSerializable]</c> code fix on state entities missing from their context (DSG022, DSG023).</summary>
public sealed class StateCodeFixTests
{
    [Fact]
    public Task DSG022_lists_the_entity_in_the_projects_only_context()
    {
        const string source = """
            using System.Text.Json.Serialization;
            using DurableStreams.State;

            namespace Chat;

            [StateEntity("user")]
            public sealed record User([StateKey] string Id);

            [StateEntity("room")]
            public sealed record Room([StateKey] int Number);

            [JsonSerializable(typeof(Room))]
            internal partial class ChatJson : JsonSerializerContext;

            [DurableState("chat")]
            [StateCollection<User>("Users")]
            [StateCollection<Room>("Rooms")]
            public partial class ChatState;
            """;
        var fixedSource = source.Replace(
            "[JsonSerializable(typeof(Room))]\n",
            "[JsonSerializable(typeof(Room))]\n[JsonSerializable(typeof(User))]\n", StringComparison.Ordinal);
        Assert.NotEqual(source, fixedSource);
        return CodeFixTest<DurableStateAnalyzer>.VerifyAsync(source, fixedSource,
            Within(DiagnosticDescriptors.EntityNotInAnyJsonContext, source, "StateCollection<User>", "User").WithArguments("Chat.User", "User"));
    }

    [Fact]
    public Task DSG023_lists_the_entity_in_the_named_context()
    {
        const string source = """
            using System.Text.Json.Serialization;
            using DurableStreams.State;

            namespace Chat;

            [StateEntity("user")]
            public sealed record User([StateKey] string Id);

            [JsonSerializable(typeof(int))]
            internal partial class ChatJson : JsonSerializerContext;

            [JsonSerializable(typeof(User))]
            internal partial class OtherJson : JsonSerializerContext;

            [DurableState("chat", JsonContext = typeof(ChatJson))]
            [StateCollection<User>("Users")]
            public partial class ChatState;
            """;
        var fixedSource = source.Replace(
            "[JsonSerializable(typeof(int))]\n",
            "[JsonSerializable(typeof(int))]\n[JsonSerializable(typeof(User))]\n", StringComparison.Ordinal);
        Assert.NotEqual(source, fixedSource);
        return CodeFixTest<DurableStateAnalyzer>.VerifyAsync(source, fixedSource,
            Within(DiagnosticDescriptors.EntityNotInNamedJsonContext, source, "StateCollection<User>", "User").WithArguments("Chat.User", "Chat.ChatJson", "User"));
    }
}
