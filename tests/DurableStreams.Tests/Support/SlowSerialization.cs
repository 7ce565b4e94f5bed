using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace DurableStreams.Tests.Support;

/// <summary>
/// Metadata for <see cref="int"/> whose serializer calls a hook first: lets a test act at the exact
/// moment the client serializes a given value (no reflection: a converter-backed value info).
/// </summary>
internal static class SlowSerialization
{
    public static JsonTypeInfo<int> TypeInfo(Action<int> beforeWrite) =>
        JsonMetadataServices.CreateValueInfo<int>(new JsonSerializerOptions { TypeInfoResolver = TestJsonContext.Default }, new HookedInt32Converter(beforeWrite));

    private sealed class HookedInt32Converter(Action<int> beforeWrite) : JsonConverter<int>
    {
        public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetInt32();

        public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options)
        {
            beforeWrite(value);
            writer.WriteNumberValue(value);
        }
    }
}
