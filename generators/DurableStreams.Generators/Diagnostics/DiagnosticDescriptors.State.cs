using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace DurableStreams.Generators.Diagnostics;

// Diagnostics about [StateEntity], [StateKey], [DurableState] and [StateCollection<T>] declarations.
internal static partial class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor StateEntityWithoutKey = Error(
        "DSG013",
        "State entity has no primary key",
        "'{0}' is a [StateEntity] but has no [StateKey]; mark the property (or record parameter) that identifies an entity");

    public static readonly DiagnosticDescriptor DuplicateStateKey = Error(
        "DSG014",
        "State entity has more than one primary key",
        "'{0}' already has the [StateKey] '{1}'; an entity has one primary key, so remove [StateKey] from '{2}'");

    public static readonly DiagnosticDescriptor UnsupportedStateKeyType = Error(
        "DSG015",
        "State key has an unsupported type",
        "The state key '{0}' has type '{1}'; a key is a non-null string, Guid, int, long, short, byte, sbyte, ushort, uint or ulong");

    public static readonly DiagnosticDescriptor MisplacedStateKey = Error(
        "DSG016",
        "[StateKey] on a parameter that is not a record's positional parameter",
        "[StateKey] on the parameter '{0}' does not mark a property; put it on a positional parameter of a record, or on the property");

    public static readonly DiagnosticDescriptor BlankStateEntityType = Error(
        "DSG017",
        "State entity type is empty",
        "The [StateEntity] type of '{0}' is empty or blank; change messages need a type such as \"user\"");

    public static readonly DiagnosticDescriptor CollectionEntityNotStateEntity = Error(
        "DSG018",
        "State collection entity is not a [StateEntity]",
        "'{0}' has no [StateEntity] attribute, so the collection '{1}' has no protocol type or key; add [StateEntity(\"...\")] and [StateKey] to it");

    public static readonly DiagnosticDescriptor EntityListedTwice = Error(
        "DSG019",
        "State lists an entity type twice",
        "'{0}' already has a collection of '{1}' ('{2}'); a state has one collection per entity type");

    public static readonly DiagnosticDescriptor CollectionNameUsedTwice = Error(
        "DSG020",
        "Two state collections have the same name",
        "'{0}' already has a collection named '{1}'; give each collection its own name");

    public static readonly DiagnosticDescriptor ProtocolTypeUsedTwice = Error(
        "DSG021",
        "Two state entities share a protocol type",
        "'{0}' and '{1}' both have the protocol type \"{2}\" in '{3}'; each entity of a state needs its own type");

    public static readonly DiagnosticDescriptor EntityNotInAnyJsonContext = Error(
        "DSG022",
        "State entity is not listed in any JsonSerializerContext",
        "'{0}' is not listed in any JsonSerializerContext of this project; add [JsonSerializable(typeof({1}))] to one, or name one with JsonContext = typeof(...)");

    public static readonly DiagnosticDescriptor EntityNotInNamedJsonContext = Error(
        "DSG023",
        "State entity is not listed in the named JsonSerializerContext",
        "'{0}' is not listed in JsonSerializerContext '{1}', which the state names with JsonContext; add [JsonSerializable(typeof({2}))] to it");

    public static readonly DiagnosticDescriptor InvalidCollectionName = Error(
        "DSG024",
        "State collection name is not an identifier",
        "The collection name \"{0}\" is not a C# identifier; it becomes the name of a property");

    public static readonly DiagnosticDescriptor CollectionNameCollides = Error(
        "DSG025",
        "State collection name collides with a generated or inherited member",
        "The collection name '{0}' is already a member of '{1}' (generated, or inherited from DurableState); rename the collection");

    public static readonly DiagnosticDescriptor StateClassNotPartial = Error(
        "DSG026",
        "State class is not partial",
        "'{0}' must be partial, and so must every type containing it, so that the generator can complete it");

    public static readonly DiagnosticDescriptor GenericStateClass = Error(
        "DSG027",
        "State class is generic",
        "'{0}' is generic or nested in a generic type; declare [DurableState] on a non-generic class");

    public static readonly DiagnosticDescriptor StateClassHasBaseClass = Error(
        "DSG028",
        "State class declares a base class",
        "'{0}' derives from '{1}'; a state class derives from DurableStreams.State.DurableState, which the generator adds, so remove the base class");

    public static readonly DiagnosticDescriptor UnsupportedStateClassKind = Error(
        "DSG029",
        "State class is static, abstract, a record or file-local",
        "'{0}' is {1}; the generated part derives from DurableState and creates instances, so declare a plain (partial, optionally sealed) class");

    public static readonly DiagnosticDescriptor EntityLessAccessibleThanState = Error(
        "DSG030",
        "State entity is less accessible than the state class",
        "'{0}' is public but its entity '{1}' is not, so the public collection '{2}' cannot expose it; make the entity public or the state class internal");

    public static readonly DiagnosticDescriptor UnreadableStateKey = Error(
        "DSG031",
        "State key is not a readable instance property",
        "The state key '{0}' must be an instance property with a public or internal getter, so that the generated state can read it");

    public static readonly DiagnosticDescriptor CollectionWithoutState = Warning(
        "DSG032",
        "[StateCollection] on a class without [DurableState]",
        "'{0}' has [StateCollection] but no [DurableState], so no collection is generated; add [DurableState(\"...\")] or remove the attribute");

    /// <summary>What <see cref="DurableStateAnalyzer"/> reports: its own ids and the URL and context ids it shares.</summary>
    public static ImmutableArray<DiagnosticDescriptor> States { get; } =
    [
        StateEntityWithoutKey, DuplicateStateKey, UnsupportedStateKeyType, MisplacedStateKey, BlankStateEntityType,
        CollectionEntityNotStateEntity, EntityListedTwice, CollectionNameUsedTwice, ProtocolTypeUsedTwice,
        EntityNotInAnyJsonContext, EntityNotInNamedJsonContext, InvalidCollectionName, CollectionNameCollides,
        StateClassNotPartial, GenericStateClass, StateClassHasBaseClass, UnsupportedStateClassKind, EntityLessAccessibleThanState,
        UnreadableStateKey, CollectionWithoutState,
    ];

    /// <summary>The <c>[DurableStream]</c> ids that apply to <c>[DurableState]</c> too.</summary>
    // Computed on use: static fields of the other file of this partial class may not be initialized yet.
    public static ImmutableArray<DiagnosticDescriptor> SharedWithStates =>
    [
        JsonContextNotAContext, MalformedUrlTemplate, InvalidPlaceholderName, DuplicatePlaceholder, QueryOrFragment,
        ReservedPlaceholder,
    ];
}
