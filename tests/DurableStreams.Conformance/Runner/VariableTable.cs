using System.Text.Json.Nodes;

namespace DurableStreams.Conformance.Runner;

/// <summary>
/// The per-case variables (<c>as:</c>, <c>storeOffsetAs</c>, <c>storeAs</c>, <c>set</c>). A stored
/// JSON <c>null</c> is a value; storing "absent" removes the name so later uses fail as undefined.
/// </summary>
internal sealed class VariableTable
{
    private readonly Dictionary<string, JsonNode?> _values = new(StringComparer.Ordinal);

    public void Set(string name, JsonNode? value) => _values[name] = value?.DeepClone();

    public void SetText(string name, string value) => _values[name] = JsonValue.Create(value);

    /// <summary>Stores the value if present, otherwise forgets the name (storing an absent value).</summary>
    public void SetOrForget(string name, JsonNode? value, bool isPresent)
    {
        if (isPresent)
        {
            Set(name, value);
        }
        else
        {
            _values.Remove(name);
        }
    }

    public bool TryGet(string name, out JsonNode? value) => _values.TryGetValue(name, out value);

    public void Clear() => _values.Clear();
}
