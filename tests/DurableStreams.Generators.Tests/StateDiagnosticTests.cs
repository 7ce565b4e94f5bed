using DurableStreams.Generators.Tests.Support;
using static DurableStreams.Generators.Diagnostics.DiagnosticDescriptors;
using static DurableStreams.Generators.Tests.Support.Expect;

namespace DurableStreams.Generators.Tests;

/// <summary>
/// Every diagnostic about <c>[StateEntity]</c>, <c>[StateKey]</c>, <c>[DurableState]</c> and <c>[StateCollection]</c>
/// (DSG013-DSG030, and the URL and context ids shared with streams), each at the location it should underline,
/// with near misses that must stay silent.
/// </summary>
public sealed class StateDiagnosticTests
{
    private const string Usings = """
        using System;
        using System.Text.Json.Serialization;
        using DurableStreams.State;

        """;

    // A valid entity, listed in a context, that the declarations below can use.
    private const string Room = """

        [StateEntity("room")]
        public sealed record Room([StateKey] int Number, string Topic);

        [JsonSerializable(typeof(Room))]
        internal partial class RoomJson : JsonSerializerContext;
        """;

    [Fact]
    public Task A_valid_state_has_no_diagnostics() => GeneratorAndAnalyzerTest.VerifyAsync(Usings + """
        [StateEntity("user")]
        public sealed record User([StateKey] string Id, string Name);

        [StateEntity("session")]
        public sealed class Session
        {
            [StateKey] public Guid Id { get; set; }
        }

        [JsonSerializable(typeof(User))]
        [JsonSerializable(typeof(Session))]
        internal partial class AppJson : JsonSerializerContext;

        [DurableState("presence/{site}", JsonContext = typeof(AppJson))]
        [StateCollection<User>("Users")]
        [StateCollection<Session>("Sessions")]
        public sealed partial class PresenceState;

        [DurableState("rooms")]
        [StateCollection<Room>("Rooms")]
        internal partial class RoomState;
        """ + Room);

    [Fact]
    public Task Placeholders_named_like_generated_or_inherited_members_compile() => GeneratorAndAnalyzerTest.VerifyAsync(Usings + """
        [DurableState("rooms/{For}/{UrlFor}/{GetJsonStream}/{VerifyExistsAsync}/{UrlTemplate}/{RoomState}/{Rooms}/{stream}")]
        [StateCollection<Room>("Rooms")]
        public partial class RoomState;
        """ + Room);

    [Theory]
    [InlineData("string")]
    [InlineData("Guid")]
    [InlineData("int")]
    [InlineData("long")]
    [InlineData("short")]
    [InlineData("byte")]
    [InlineData("sbyte")]
    [InlineData("ushort")]
    [InlineData("uint")]
    [InlineData("ulong")]
    public Task Every_supported_key_type_is_accepted(string keyType) => GeneratorAndAnalyzerTest.VerifyAsync(Usings + $$"""
        [StateEntity("item")]
        public sealed record Item([StateKey] {{keyType}} Key);

        [JsonSerializable(typeof(Item))]
        internal partial class AppJson : JsonSerializerContext;

        [DurableState("items")]
        [StateCollection<Item>("Items")]
        public partial class ItemState;
        """);

    [Fact]
    public Task DSG013_entity_without_a_key()
    {
        const string source = Usings + """
            [StateEntity("user")]
            public sealed record User(string Id, string Name);
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source, At(StateEntityWithoutKey, source, "User").WithArguments("User"));
    }

    [Fact]
    public Task DSG013_a_key_on_a_base_record_counts() => GeneratorAndAnalyzerTest.VerifyAsync(Usings + """
        public abstract record Entity([property: StateKey] string Id);

        [StateEntity("user")]
        public sealed record User(string Id, string Name) : Entity(Id);
        """);

    [Fact]
    public Task DSG014_two_keys_point_at_the_second()
    {
        const string source = Usings + """
            [StateEntity("user")]
            public sealed record User([StateKey] string Id, [StateKey] string Email);
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(DuplicateStateKey, source, "StateKey", occurrence: 1).WithArguments("User", "Id", "Email"));
    }

    [Fact]
    public Task DSG015_unsupported_and_nullable_key_types()
    {
        const string source = Usings + """
            #nullable enable
            [StateEntity("price")]
            public sealed record Price([StateKey] decimal Amount);

            [StateEntity("nick")]
            public sealed class Nick
            {
                [StateKey] public string? Name { get; set; }
            }

            [StateEntity("slot")]
            public sealed record Slot([StateKey] int? Number);
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(UnsupportedStateKeyType, source, "Amount").WithArguments("Price.Amount", "decimal"),
            At(UnsupportedStateKeyType, source, "Name").WithArguments("Nick.Name", "string?"),
            At(UnsupportedStateKeyType, source, "Number").WithArguments("Slot.Number", "int?"));
    }

    [Fact]
    public Task DSG016_key_on_a_parameter_that_is_not_a_record_property()
    {
        const string source = Usings + """
            [StateEntity("user")]
            public sealed class User
            {
                public User([StateKey] string id) => Id = id;

                public string Id { get; }
            }
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(MisplacedStateKey, source, "StateKey").WithArguments("id"),
            At(StateEntityWithoutKey, source, "User").WithArguments("User"));
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"  \"")]
    [InlineData("null")]
    public Task DSG017_blank_protocol_type(string argument)
    {
        var source = Usings + $$"""
            [StateEntity({{argument}})]
            public sealed record User([StateKey] string Id);
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source, At(BlankStateEntityType, source, argument).WithArguments("User"));
    }

    [Fact]
    public Task DSG018_collection_of_a_type_without_StateEntity()
    {
        const string source = Usings + """
            public sealed record User(string Id);

            [JsonSerializable(typeof(User))]
            internal partial class AppJson : JsonSerializerContext;

            [DurableState("presence")]
            [StateCollection<User>("Users")]
            public partial class PresenceState;
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            Within(CollectionEntityNotStateEntity, source, "StateCollection<User>", "User").WithArguments("User", "Users"));
    }

    [Fact]
    public Task DSG019_the_same_entity_listed_twice()
    {
        const string source = Usings + """
            [DurableState("rooms")]
            [StateCollection<Room>("Rooms")]
            [StateCollection<Room>("MoreRooms")]
            public partial class RoomState;
            """ + Room;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            Within(EntityListedTwice, source, "StateCollection<Room>(\"MoreRooms\")", "Room").WithArguments("RoomState", "Room", "Rooms"));
    }

    [Fact]
    public Task DSG020_the_same_collection_name_twice()
    {
        const string source = Usings + """
            [StateEntity("hall")]
            public sealed record Hall([StateKey] int Number);

            [JsonSerializable(typeof(Hall))]
            internal partial class HallJson : JsonSerializerContext;

            [DurableState("rooms")]
            [StateCollection<Room>("Rooms")]
            [StateCollection<Hall>("Rooms")]
            public partial class RoomState;
            """ + Room;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            Within(CollectionNameUsedTwice, source, "StateCollection<Hall>(\"Rooms\")", "\"Rooms\"").WithArguments("RoomState", "Rooms"));
    }

    [Fact]
    public Task DSG021_two_entities_on_one_protocol_type()
    {
        const string source = Usings + """
            [StateEntity("room")]
            public sealed record Hall([StateKey] int Number);

            [JsonSerializable(typeof(Hall))]
            internal partial class HallJson : JsonSerializerContext;

            [DurableState("rooms")]
            [StateCollection<Room>("Rooms")]
            [StateCollection<Hall>("Halls")]
            public partial class RoomState;

            // Near miss: each state on its own may use either.
            [DurableState("halls")]
            [StateCollection<Hall>("Halls")]
            public partial class HallState;
            """ + Room;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            Within(ProtocolTypeUsedTwice, source, "StateCollection<Hall>(\"Halls\")", "Hall").WithArguments("Room", "Hall", "room", "RoomState"));
    }

    [Fact]
    public Task DSG022_entity_not_in_any_context()
    {
        const string source = Usings + """
            [StateEntity("user")]
            public sealed record User([StateKey] string Id);

            [DurableState("presence")]
            [StateCollection<User>("Users")]
            [StateCollection<Room>("Rooms")]
            public partial class PresenceState;
            """ + Room;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            Within(EntityNotInAnyJsonContext, source, "StateCollection<User>", "User").WithArguments("User", "User"));
    }

    [Fact]
    public Task DSG023_entity_not_in_the_named_context()
    {
        // Room is listed elsewhere (RoomJson), but the state names AppJson: no falling back.
        const string source = Usings + """
            [StateEntity("user")]
            public sealed record User([StateKey] string Id);

            [JsonSerializable(typeof(User))]
            internal partial class AppJson : JsonSerializerContext;

            [DurableState("presence", JsonContext = typeof(AppJson))]
            [StateCollection<User>("Users")]
            [StateCollection<Room>("Rooms")]
            public partial class PresenceState;
            """ + Room;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            Within(EntityNotInNamedJsonContext, source, "StateCollection<Room>", "Room").WithArguments("Room", "AppJson", "Room"));
    }

    [Fact]
    public Task DSG003_applies_to_states_and_a_private_context_next_to_a_nested_state_is_fine()
    {
        const string source = Usings + """
            [DurableState("rooms", JsonContext = typeof(string))]
            [StateCollection<Room>("Rooms")]
            public partial class RoomState;

            // Near miss (no DSG012): the generated part of a nested state sits next to a private context, and can use it.
            public partial class Outer
            {
                [DurableState("nested", JsonContext = typeof(NestedJson))]
                [StateCollection<Room>("Rooms")]
                internal partial class NestedState;

                [JsonSerializable(typeof(Room))]
                private partial class NestedJson : JsonSerializerContext;
            }
            """ + Room;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(JsonContextNotAContext, source, "typeof(string)").WithArguments("string"));
    }

    [Theory]
    [InlineData("my-rooms")]
    [InlineData("")]
    [InlineData("1st")]
    public Task DSG024_collection_name_is_not_an_identifier(string name)
    {
        var source = Usings + $$"""
            [DurableState("rooms")]
            [StateCollection<Room>("{{name}}")]
            public partial class RoomState;
            """ + Room;
        return GeneratorAndAnalyzerTest.VerifyAsync(source, At(InvalidCollectionName, source, $"\"{name}\"").WithArguments(name));
    }

    [Theory]
    [InlineData("For")]
    [InlineData("ConnectAsync")]
    [InlineData("UrlFor")]
    [InlineData("UrlTemplate")]
    [InlineData("ToString")]
    [InlineData("GetHashCode")]
    [InlineData("RoomState")]
    [InlineData("Stream")]
    [InlineData("View")]
    [InlineData("Register")]
    [InlineData("GetJsonStream")]
    [InlineData("DisposeAsync")]
    public Task DSG025_collection_name_collides_with_a_member(string name)
    {
        var source = Usings + $$"""
            [DurableState("rooms")]
            [StateCollection<Room>("{{name}}")]
            public partial class RoomState;
            """ + Room;
        return GeneratorAndAnalyzerTest.VerifyAsync(source, At(CollectionNameCollides, source, $"\"{name}\"").WithArguments(name, "RoomState"));
    }

    [Fact]
    public Task DSG026_state_class_or_its_container_not_partial()
    {
        const string source = Usings + """
            [DurableState("rooms")]
            [StateCollection<Room>("Rooms")]
            public class RoomState;

            public class Outer
            {
                [DurableState("inner")]
                [StateCollection<Room>("Rooms")]
                public partial class InnerState;
            }
            """ + Room;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(StateClassNotPartial, source, "RoomState").WithArguments("RoomState"),
            At(StateClassNotPartial, source, "InnerState").WithArguments("Outer.InnerState"));
    }

    [Fact]
    public Task DSG027_generic_state_class()
    {
        const string source = Usings + """
            [DurableState("rooms")]
            [StateCollection<Room>("Rooms")]
            public partial class RoomState<T>;

            public partial class Outer<T>
            {
                [DurableState("inner")]
                [StateCollection<Room>("Rooms")]
                public partial class InnerState;
            }
            """ + Room;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(GenericStateClass, source, "RoomState").WithArguments("RoomState<T>"),
            At(GenericStateClass, source, "InnerState").WithArguments("Outer<T>.InnerState"));
    }

    [Fact]
    public Task DSG028_state_class_with_its_own_base_class()
    {
        const string source = Usings + """
            public abstract class StateBase;

            [DurableState("rooms")]
            [StateCollection<Room>("Rooms")]
            public partial class RoomState : StateBase, IDisposable
            {
                public void Dispose() { }
            }

            // Near miss: interfaces are fine.
            [DurableState("halls")]
            [StateCollection<Room>("Rooms")]
            public partial class HallState : IDisposable
            {
                public void Dispose() { }
            }
            """ + Room;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(StateClassHasBaseClass, source, "StateBase", occurrence: 1).WithArguments("RoomState", "StateBase"));
    }

    [Fact]
    public Task DSG029_static_abstract_and_record_state_classes()
    {
        const string source = Usings + """
            [DurableState("a")]
            public static partial class StaticState;

            [DurableState("b")]
            public abstract partial class AbstractState;

            [DurableState("c")]
            public partial record RecordState;
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(UnsupportedStateClassKind, source, "StaticState").WithArguments("StaticState", "static"),
            At(UnsupportedStateClassKind, source, "AbstractState").WithArguments("AbstractState", "abstract"),
            At(UnsupportedStateClassKind, source, "RecordState").WithArguments("RecordState", "a record"));
    }

    [Fact]
    public Task DSG030_public_state_with_an_internal_entity()
    {
        const string source = Usings + """
            [StateEntity("user")]
            internal sealed record User([StateKey] string Id);

            [JsonSerializable(typeof(User))]
            internal partial class AppJson : JsonSerializerContext;

            [DurableState("presence")]
            [StateCollection<User>("Users")]
            public partial class PresenceState;

            // Near miss: an internal state may expose it.
            [DurableState("internal-presence")]
            [StateCollection<User>("Users")]
            internal partial class InternalPresenceState;
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            Within(EntityLessAccessibleThanState, source, "StateCollection<User>", "User").WithArguments("PresenceState", "User", "Users"));
    }

    [Fact]
    public Task DSG004_to_DSG007_templates_of_states_are_checked()
    {
        const string source = Usings + """
            [DurableState("rooms/{site")]
            [StateCollection<Room>("Rooms")]
            public partial class A;

            [DurableState("rooms/{1st}")]
            [StateCollection<Room>("Rooms")]
            public partial class B;

            [DurableState("rooms/{x}/{x}")]
            [StateCollection<Room>("Rooms")]
            public partial class C;

            [DurableState("rooms?all")]
            [StateCollection<Room>("Rooms")]
            public partial class D;
            """ + Room;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(MalformedUrlTemplate, source, "{").WithArguments("rooms/{site", "the '{' at position 6 has no matching '}'"),
            At(InvalidPlaceholderName, source, "{1st}").WithArguments("1st"),
            At(DuplicatePlaceholder, source, "{x}", occurrence: 1).WithArguments("x"),
            At(QueryOrFragment, source, "?all").WithArguments("a query string"));
    }

    [Theory]
    [InlineData("client")]
    [InlineData("options")]
    [InlineData("cancellationToken")]
    public Task DSG008_placeholders_named_like_state_parameters(string name)
    {
        var source = Usings + $$"""
            [DurableState("rooms/{{{name}}}")]
            [StateCollection<Room>("Rooms")]
            public partial class RoomState;
            """ + Room;
        return GeneratorAndAnalyzerTest.VerifyAsync(source, At(ReservedPlaceholder, source, $"{{{name}}}").WithArguments(name));
    }

    [Fact]
    public Task DSG031_key_the_generated_state_cannot_read()
    {
        const string source = Usings + """
            [StateEntity("a")]
            public sealed class A
            {
                [StateKey] private string Id { get; set; } = "";
            }

            [StateEntity("b")]
            public sealed class B
            {
                [StateKey] public static string Key { get; set; } = "";
            }

            [StateEntity("c")]
            public sealed class C
            {
                [StateKey] public string Code { private get; set; } = "";
            }

            // Near miss: an internal getter is fine.
            [StateEntity("d")]
            public sealed class D
            {
                [StateKey] public string Code { internal get; set; } = "";
            }
            """;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(UnreadableStateKey, source, "Id").WithArguments("A.Id"),
            Within(UnreadableStateKey, source, "static string Key", "Key").WithArguments("B.Key"),
            At(UnreadableStateKey, source, "Code").WithArguments("C.Code"));
    }

    [Fact]
    public Task DSG032_collection_on_a_class_without_DurableState()
    {
        const string source = Usings + """
            [StateCollection<Room>("Rooms")]
            [StateCollection<Room>("MoreRooms")]
            public partial class Forgotten;
            """ + Room;
        return GeneratorAndAnalyzerTest.VerifyAsync(source,
            At(CollectionWithoutState, source, "StateCollection<Room>(\"Rooms\")").WithArguments("Forgotten"));
    }

    [Fact]
    public Task Problems_of_entities_from_a_referenced_assembly_are_reported_on_the_collection()
    {
        var library = TestCompilation.EmitLibrary("""
            using DurableStreams.State;

            namespace Lib;

            [StateEntity("keyless")]
            public sealed record Keyless(string Id);

            // Internal is readable next to the entity, not from another assembly.
            [StateEntity("hidden")]
            public sealed class Hidden
            {
                [StateKey] public string Id { internal get; set; } = "";
            }

            // Near miss: a positional key read from metadata is found.
            [StateEntity("fine")]
            public sealed record Fine(string Name, [StateKey] int Id);
            """);
        const string source = Usings + """
            [JsonSerializable(typeof(Lib.Keyless))]
            [JsonSerializable(typeof(Lib.Hidden))]
            [JsonSerializable(typeof(Lib.Fine))]
            internal partial class AppJson : JsonSerializerContext;

            [DurableState("lib")]
            [StateCollection<Lib.Keyless>("Keyless")]
            [StateCollection<Lib.Hidden>("Hidden")]
            [StateCollection<Lib.Fine>("Fine")]
            internal partial class LibState;

            [DurableState("fine")]
            [StateCollection<Lib.Fine>("Fine")]
            internal partial class FineState;
            """;
        var test = new GeneratorAndAnalyzerTest(source,
            Within(StateEntityWithoutKey, source, "StateCollection<Lib.Keyless>", "Lib.Keyless").WithArguments("Lib.Keyless"),
            Within(UnreadableStateKey, source, "StateCollection<Lib.Hidden>", "Lib.Hidden").WithArguments("Lib.Hidden.Id"));
        test.TestState.AdditionalReferences.Add(library);
        return test.RunAsync(TestContext.Current.CancellationToken);
    }
}
