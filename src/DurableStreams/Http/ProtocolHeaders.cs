using System.Runtime.CompilerServices;

namespace DurableStreams.Http;

/// <summary>
/// A request's protocol headers, names compared without case. Up to four are held inline, so the
/// usual write (producer id, epoch and sequence) allocates no collection; more go to a list.
/// Setting a name that is present replaces its value, as a dictionary would.
/// </summary>
internal struct ProtocolHeaders
{
    private Inline _inline;
    private int _count;
    private List<KeyValuePair<string, string>>? _more;

    public readonly int Count => _count + (_more?.Count ?? 0);

    public string this[string name]
    {
        set
        {
            for (var i = 0; i < _count; i++)
                if (string.Equals(_inline[i].Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    _inline[i] = new(_inline[i].Key, value);
                    return;
                }
            if (_more is not null)
                for (var i = 0; i < _more.Count; i++)
                    if (string.Equals(_more[i].Key, name, StringComparison.OrdinalIgnoreCase))
                    {
                        _more[i] = new(_more[i].Key, value);
                        return;
                    }
            if (_count < Inline.Length) _inline[_count++] = new(name, value);
            else (_more ??= []).Add(new(name, value));
        }
    }

    public readonly bool TryGetValue(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value)
    {
        for (var i = 0; i < Count; i++)
        {
            var header = this.At(i);
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = header.Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    /// <summary>The header at <paramref name="index"/>, in the order the names were first set.</summary>
    public readonly KeyValuePair<string, string> At(int index) => index < _count ? _inline[index] : _more![index - _count];

    public readonly Enumerator GetEnumerator() => new(this);

    /// <summary>Walks a copy of the headers (they are not changed while a request is built).</summary>
    public struct Enumerator(ProtocolHeaders headers)
    {
        private int _index = -1;

        public readonly KeyValuePair<string, string> Current => headers.At(_index);

        public bool MoveNext() => ++_index < headers.Count;
    }

    [InlineArray(Length)]
    private struct Inline
    {
        public const int Length = 4;
        private KeyValuePair<string, string> _element;
    }
}
