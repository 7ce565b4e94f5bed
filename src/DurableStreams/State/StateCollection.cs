using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace DurableStreams.State;

/// <summary>
/// The entities of one type in a <see cref="StateView"/>, by key: a live, read-only view that always shows the view's
/// current committed state (never a half-applied message or an open snapshot). Each call reads one consistent state;
/// enumeration walks the state of the moment it began, even while messages are applied.
/// </summary>
public sealed class StateCollection : IReadOnlyDictionary<string, JsonElement>
{
    private readonly StateView _view;

    internal StateCollection(StateView view, string type)
    {
        _view = view;
        Type = type;
    }

    /// <summary>The entity type this collection shows.</summary>
    public string Type { get; }

    private ImmutableDictionary<string, JsonElement> Current => _view.EntitiesOf(Type);

    /// <inheritdoc />
    public JsonElement this[string key] =>
        Current.TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"'{Type}' has no key '{key}'.");

    /// <inheritdoc />
    public IEnumerable<string> Keys => Current.Keys;

    /// <inheritdoc />
    public IEnumerable<JsonElement> Values => Current.Values;

    /// <inheritdoc />
    public int Count => Current.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => Current.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out JsonElement value) => Current.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, JsonElement>> GetEnumerator() => Current.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
