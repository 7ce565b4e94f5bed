using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;

namespace DurableStreams.Reading;

/// <summary>
/// Metadata for <c>List&lt;T&gt;</c> built from the caller's element metadata, so a whole JSON array
/// can be decoded in one call without reflection (the same factory source-generated contexts use).
/// </summary>
internal static class JsonListInfo
{
    public static JsonTypeInfo<List<T>> For<T>(JsonTypeInfo<T> element) => Cache<T>.Lists.GetValue(element, static e => Create(e));

    private static JsonTypeInfo<List<T>> Create<T>(JsonTypeInfo<T> element) =>
        JsonMetadataServices.CreateListInfo<List<T>, T>(element.Options, new JsonCollectionInfoValues<List<T>>
        {
            ObjectCreator = static () => [],
            ElementInfo = element,
        });

    private static class Cache<T>
    {
        // Keyed weakly by the element metadata: one list metadata per context and type, collected with it.
        public static readonly ConditionalWeakTable<JsonTypeInfo<T>, JsonTypeInfo<List<T>>> Lists = new();
    }
}
