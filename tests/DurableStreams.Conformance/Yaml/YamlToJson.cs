using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DurableStreams.Conformance.Yaml;

/// <summary>
/// Turns a YamlDotNet representation-model node into a JSON node. Working on the representation
/// model (not a deserializer) keeps the scalar style, which decides the type: a quoted
/// <c>"false"</c> is a string, a plain <c>false</c> a boolean.
/// </summary>
internal static class YamlToJson
{
    private const string CoreTagPrefix = "tag:yaml.org,2002:";

    public static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlScalarNode scalar => ConvertScalar(scalar),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlMappingNode mapping => ConvertMapping(mapping),
        _ => throw new YamlException(node.Start, node.End, $"Unsupported YAML node type {node.NodeType}."),
    };

    private static JsonObject ConvertMapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode keyScalar)
            {
                throw new YamlException(key.Start, key.End, "Only scalar mapping keys are supported.");
            }

            var name = keyScalar.Value ?? string.Empty;
            if (result.ContainsKey(name))
            {
                throw new YamlException(key.Start, key.End, $"Duplicate key '{name}'.");
            }

            result[name] = Convert(value);
        }

        return result;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific)
        {
            return ConvertTagged(scalar, text);
        }

        // Quoted and block scalars are always strings; only plain ones go through type resolution.
        return scalar.Style == ScalarStyle.Plain
            ? CoreSchemaScalars.Resolve(text)
            : JsonValue.Create(text);
    }

    private static JsonNode? ConvertTagged(YamlScalarNode scalar, string text)
    {
        var tag = scalar.Tag.Value;
        if (tag == CoreTagPrefix + "str")
        {
            return JsonValue.Create(text);
        }

        if (tag is CoreTagPrefix + "int" or CoreTagPrefix + "float" or CoreTagPrefix + "bool" or CoreTagPrefix + "null")
        {
            var resolved = CoreSchemaScalars.Resolve(text);
            var matchesTag = tag switch
            {
                CoreTagPrefix + "null" => resolved is null,
                CoreTagPrefix + "bool" => resolved?.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
                _ => resolved?.GetValueKind() == System.Text.Json.JsonValueKind.Number,
            };
            if (matchesTag)
            {
                return resolved;
            }
        }

        throw new YamlException(scalar.Start, scalar.End, $"Unsupported tag or value: !<{tag}> '{text}'.");
    }
}
