using DurableStreams.Generators.Tests.Support;
using Microsoft.CodeAnalysis;

namespace DurableStreams.Generators.Tests;

/// <summary>
/// What the generator writes for <c>[DurableState]</c> classes, checked against golden files, and proof that it
/// compiles against the real <c>DurableState</c> runtime without a single diagnostic next to code that uses it.
/// </summary>
public sealed class StateGeneratedSourceTests
{
    [Fact]
    public void Multiple_entities_and_key_types() => Verify("""
        using System;
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using DurableStreams;
        using DurableStreams.State;

        namespace Sample;

        [StateEntity("user")]
        public sealed record User([StateKey] string Id, string Name, string Status);

        [StateEntity("room")]
        public sealed record Room([StateKey] int Number, string Topic);

        [StateEntity("session")]
        public sealed class Session
        {
            [StateKey] public Guid Id { get; set; }
            public string User { get; set; } = "";
        }

        [StateEntity("counter")]
        public sealed record Counter([StateKey] long Id, ulong Value);

        [JsonSerializable(typeof(User))]
        [JsonSerializable(typeof(Room))]
        [JsonSerializable(typeof(Session))]
        [JsonSerializable(typeof(Counter))]
        internal sealed partial class AppJson : JsonSerializerContext;

        /// <summary>Who is where.</summary>
        [DurableState("presence/{site}", JsonContext = typeof(AppJson))]
        [StateCollection<User>("Users")]
        [StateCollection<Room>("Rooms")]
        [StateCollection<Session>("Sessions")]
        [StateCollection<Counter>("Counters")]
        public sealed partial class PresenceState;

        internal static class Usage
        {
            public static async Task Run(DurableStreamClient client)
            {
                var state = PresenceState.For(client, site: "eu");
                await state.CreateAsync();
                await state.Users.InsertAsync(new User("u1", "Ann", "online"));
                await state.Rooms.UpsertAsync(new Room(7, "lobby"));
                await state.Counters.DeleteAsync(3L);
                User ann = state.Users["u1"];
                Room lobby = state.Rooms[7];
                Session? session = state.Sessions.TryGetValue(Guid.Empty, out var s) ? s : null;
                Console.WriteLine($"{ann.Name} {lobby.Topic} {session?.User} {state.Counters.Count}");

                await using var connected = await PresenceState.ConnectAsync(client, "eu", new DurableStateOptions { Live = LiveMode.Off });
                await connected.CatchUpAsync();
                string url = PresenceState.UrlFor("eu") + PresenceState.UrlTemplate;
                Console.WriteLine(url);
            }
        }
        """);

    [Fact]
    public void Global_namespace_and_keyword_placeholders() => Verify("""
        using System.Text.Json.Serialization;
        using DurableStreams;
        using DurableStreams.State;

        [StateEntity("item")]
        public sealed record Item([StateKey] string Id);

        [JsonSerializable(typeof(Item))]
        internal partial class GlobalJson : JsonSerializerContext;

        [DurableState("state/{namespace}/{class}")]
        [StateCollection<Item>("Items")]
        internal partial class CatalogState;

        internal static class Usage
        {
            public static string Run(DurableStreamClient client) =>
                CatalogState.For(client, @namespace: "n", @class: "c").Items.Count + CatalogState.UrlFor(@namespace: "n", @class: "c");
        }
        """);

    [Fact]
    public void Absolute_url_and_no_placeholders() => Verify("""
        using System.Text.Json.Serialization;
        using DurableStreams.State;

        namespace Config;

        [StateEntity("setting")]
        public sealed record Setting([StateKey] string Name, string Value);

        [JsonSerializable(typeof(Setting))]
        internal partial class ConfigJson : JsonSerializerContext;

        [DurableState("https://streams.example.com/v1/stream/config")]
        [StateCollection<Setting>("Settings")]
        public partial class ConfigState;

        internal static class Usage
        {
            public static DurableStreams.DurableStream Run(DurableStreams.DurableStreamClient client) => ConfigState.For(client).Stream;
        }
        """);

    [Fact]
    public void Named_context_wins_over_discovery_and_each_entity_is_discovered_on_its_own() => Verify("""
        using System.Text.Json.Serialization;
        using DurableStreams.State;

        namespace Shop;

        [StateEntity("order")]
        public sealed record Order([StateKey] string Id);

        [StateEntity("line")]
        public sealed record Line([StateKey] int Id, string OrderId);

        // AJson comes first by name, so it encodes orders in discovered states; only BJson lists lines.
        [JsonSerializable(typeof(Order))]
        internal partial class AJson : JsonSerializerContext;

        [JsonSerializable(typeof(Order))]
        [JsonSerializable(typeof(Line))]
        internal partial class BJson : JsonSerializerContext;

        [DurableState("orders/{tenant}")]
        [StateCollection<Order>("Orders")]
        [StateCollection<Line>("Lines")]
        public partial class DiscoveredState;

        [DurableState("named-orders/{tenant}", JsonContext = typeof(BJson))]
        [StateCollection<Order>("Orders")]
        [StateCollection<Line>("Lines")]
        public partial class NamedState;
        """);

    [Fact]
    public void Record_struct_entities_and_a_nested_state() => Verify("""
        using System.Text.Json.Serialization;
        using DurableStreams.State;

        namespace Telemetry
        {
            [StateEntity("sensor")]
            public readonly record struct Sensor([StateKey] ushort Id, string Label);

            [StateEntity("gateway")]
            public record struct Gateway([StateKey] byte Slot, string Host);

            [StateEntity("reading")]
            public sealed record Reading([StateKey] uint Sequence, double Value);

            [JsonSerializable(typeof(Sensor))]
            [JsonSerializable(typeof(Gateway))]
            [JsonSerializable(typeof(Reading))]
            internal partial class TelemetryJson : JsonSerializerContext;

            public static partial class Features
            {
                [DurableState("telemetry/{site}/{event}")]
                [StateCollection<Sensor>("Sensors")]
                [StateCollection<Gateway>("Gateways")]
                [StateCollection<Reading>("event")]
                internal sealed partial class TelemetryState;
            }

            internal static class Usage
            {
                public static int Run(DurableStreams.DurableStreamClient client)
                {
                    var state = Features.TelemetryState.For(client, "s", @event: "e");
                    return state.Sensors.Count + state.Gateways.Count + state.@event.Count;
                }
            }
        }
        """);

    [Fact]
    public void Entities_from_a_referenced_assembly()
    {
        var library = TestCompilation.EmitLibrary("""
            using DurableStreams.State;

            namespace Lib;

            [StateEntity("user")]
            public sealed record User([StateKey] string Id, string Name);

            [StateEntity("tag")]
            public sealed class Tag
            {
                [StateKey] public long Id { get; set; }
            }
            """);
        var compilation = TestCompilation.Create("""
            using System.Text.Json.Serialization;
            using DurableStreams.State;

            namespace App;

            [JsonSerializable(typeof(Lib.User))]
            [JsonSerializable(typeof(Lib.Tag))]
            internal partial class AppJson : JsonSerializerContext;

            [DurableState("users")]
            [StateCollection<Lib.User>("Users")]
            [StateCollection<Lib.Tag>("Tags")]
            internal partial class UserState;

            internal static class Usage
            {
                public static int Run(DurableStreams.DurableStreamClient client) => UserState.For(client).Users.Count;
            }
            """).AddReferences(library);

        var result = GeneratorRunner.RunWithJson(compilation);

        var diagnostics = result.Output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity != DiagnosticSeverity.Hidden);
        Assert.Empty(diagnostics);
        var generated = Assert.Single(result.Sources).SourceText.ToString();
        Assert.Contains("Users = Register<string, global::Lib.User>(\"user\", global::App.AppJson.Default, static entity => entity.Id);", generated, StringComparison.Ordinal);
        Assert.Contains("Tags = Register<long, global::Lib.Tag>(\"tag\", global::App.AppJson.Default, static entity => entity.Id);", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_state_declarations_generate_nothing()
    {
        var result = GeneratorRunner.RunWithJson("""
            using System.Text.Json.Serialization;
            using DurableStreams.State;

            [StateEntity("keyless")]
            public sealed record Keyless(string Id);

            [StateEntity("unlisted")]
            public sealed record Unlisted([StateKey] string Id);

            [StateEntity("ok")]
            public sealed record Ok([StateKey] string Id);

            [JsonSerializable(typeof(Keyless))]
            [JsonSerializable(typeof(Ok))]
            internal partial class AppJson : JsonSerializerContext;

            [DurableState("a")]
            [StateCollection<Keyless>("Items")]
            public partial class KeylessState;

            [DurableState("b")]
            [StateCollection<Ok>("Oks")]
            [StateCollection<Unlisted>("Items")]
            public partial class UnlistedState;

            [DurableState("c/{tenant")]
            [StateCollection<Ok>("Oks")]
            public partial class BrokenTemplateState;

            [DurableState("d", JsonContext = typeof(Missing))]
            [StateCollection<Ok>("Oks")]
            public partial class MissingContextState;

            [DurableState("e")]
            [StateCollection<Ok>("Oks")]
            public class NotPartialState;
            """);
        Assert.Empty(result.Sources);
    }

    private static void Verify(string source, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        var result = GeneratorRunner.RunWithJson(source);

        Assert.Empty(result.GeneratorDiagnostics);
        var diagnostics = result.Output.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity != DiagnosticSeverity.Hidden)
            .ToList();
        Assert.True(diagnostics.Count == 0, "The generated code has diagnostics:\n" + string.Join("\n", diagnostics));

        Assert.NotEmpty(result.Sources);
        var generated = string.Join("\n", result.Sources.OrderBy(s => s.HintName, StringComparer.Ordinal)
            .Select(s => $"// ----- {s.HintName}\n{s.SourceText}"));
        Snapshot.Match(generated, "State_" + name);
    }
}
