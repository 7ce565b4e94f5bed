using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DurableStreams.Conformance.Yaml;

/// <summary>Reads one suite file (one YAML document) into its cases.</summary>
internal static class SuiteFileParser
{
    public static IReadOnlyList<ConformanceCase> Parse(string yamlText, string sourceFile)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException ex)
        {
            throw new CaseFormatException($"{sourceFile}:{ex.Start.Line}: invalid YAML: {ex.Message}");
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode suite)
        {
            throw new CaseFormatException($"{sourceFile}: expected exactly one YAML document holding a mapping.");
        }

        var suiteId = RequiredString(suite, "id", sourceFile);
        var suiteRequires = StringList(suite, "requires", sourceFile);
        if (Child(suite, "tests") is not YamlSequenceNode tests)
        {
            throw new CaseFormatException($"{At(sourceFile, suite)}: suite '{suiteId}' has no 'tests' list.");
        }

        var cases = new List<ConformanceCase>();
        foreach (var testNode in tests.Children)
        {
            if (testNode is not YamlMappingNode test)
            {
                throw new CaseFormatException($"{At(sourceFile, testNode)}: each entry of 'tests' must be a mapping.");
            }

            var testId = RequiredString(test, "id", sourceFile);
            cases.Add(new ConformanceCase
            {
                SuiteId = suiteId,
                TestId = testId,
                Name = OptionalString(test, "name") ?? testId,
                SourceFile = sourceFile,
                SuiteRequires = suiteRequires,
                Requires = StringList(test, "requires", sourceFile),
                Setup = Steps(test, CasePhase.Setup, sourceFile),
                Operations = Steps(test, CasePhase.Operations, sourceFile),
                Cleanup = Steps(test, CasePhase.Cleanup, sourceFile),
            });
        }

        return cases;
    }

    private static List<CaseStep> Steps(YamlMappingNode test, CasePhase phase, string sourceFile)
    {
        var steps = new List<CaseStep>();
        switch (Child(test, phase.YamlKey()))
        {
            case null:
                return steps;
            case YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" }:
                return steps; // "setup:" with nothing after it
            case YamlSequenceNode sequence:
                foreach (var stepNode in sequence.Children)
                {
                    steps.Add(Step(stepNode, phase, steps.Count, sourceFile));
                }

                return steps;
            case var other:
                throw new CaseFormatException($"{At(sourceFile, other)}: '{phase.YamlKey()}' must be a list of operations.");
        }
    }

    private static CaseStep Step(YamlNode node, CasePhase phase, int index, string sourceFile)
    {
        if (YamlToJson.Convert(node) is not JsonObject fields)
        {
            throw new CaseFormatException($"{At(sourceFile, node)}: an operation must be a mapping.");
        }

        var action = fields["action"] is JsonValue actionValue && actionValue.TryGetValue(out string? name) ? name : null;
        if (string.IsNullOrEmpty(action))
        {
            throw new CaseFormatException($"{At(sourceFile, node)}: operation without an 'action'.");
        }

        return new CaseStep
        {
            Phase = phase,
            Index = index,
            Action = action,
            Fields = fields,
            Expect = fields["expect"] as JsonObject ?? [],
            SourceLocation = At(sourceFile, node),
        };
    }

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string RequiredString(YamlMappingNode mapping, string key, string sourceFile) =>
        OptionalString(mapping, key) is { Length: > 0 } value
            ? value
            : throw new CaseFormatException($"{At(sourceFile, mapping)}: missing '{key}'.");

    private static string? OptionalString(YamlMappingNode mapping, string key) =>
        Child(mapping, key) is YamlScalarNode scalar ? scalar.Value : null;

    private static List<string> StringList(YamlMappingNode mapping, string key, string sourceFile) =>
        Child(mapping, key) switch
        {
            null => [],
            YamlSequenceNode sequence => sequence.Children
                .Select(item => item is YamlScalarNode { Value: { } text }
                    ? text
                    : throw new CaseFormatException($"{At(sourceFile, item)}: '{key}' entries must be strings."))
                .ToList(),
            var other => throw new CaseFormatException($"{At(sourceFile, other)}: '{key}' must be a list."),
        };

    private static string At(string sourceFile, YamlNode node) => $"{sourceFile}:{node.Start.Line}";
}
