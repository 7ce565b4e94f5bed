using System.Linq;
using DurableStreams.Generators.Model;

namespace DurableStreams.Generators.Parsing;

/// <summary>Chooses the JSON context that encodes a stream's messages, or a state's entities.</summary>
internal static class JsonContextResolver
{
    /// <summary>
    /// The named context, or else the first context (in ordinal name order, so the choice is stable) that
    /// lists the message type; null when there is none.
    /// </summary>
    public static StreamClassSpec? Resolve(StreamSpec stream, EquatableArray<JsonContextSpec> contexts)
    {
        var context = stream.NamedJsonContext ?? FirstListing(stream.MessageType, contexts)?.TypeName;
        return context is null ? null : new StreamClassSpec(stream, context);
    }

    /// <summary>The first of <paramref name="contexts"/> (already ordered) that lists <paramref name="messageType"/>.</summary>
    public static JsonContextSpec? FirstListing(string messageType, EquatableArray<JsonContextSpec> contexts) =>
        contexts.FirstOrDefault(context => context.ListedTypes.Contains(messageType));

    /// <summary>
    /// The state with a context for each collection: the named one for all, or else each entity's first listing one;
    /// null when an entity has none.
    /// </summary>
    public static StateClassSpec? Resolve(StateSpec state, EquatableArray<JsonContextSpec> contexts)
    {
        var chosen = new string[state.Collections.Count];
        for (var i = 0; i < chosen.Length; i++)
        {
            var context = state.NamedJsonContext ?? FirstListing(state.Collections[i].EntityType, contexts)?.TypeName;
            if (context is null)
                return null;
            chosen[i] = context;
        }
        return new StateClassSpec(state, chosen.ToEquatableArray());
    }
}
