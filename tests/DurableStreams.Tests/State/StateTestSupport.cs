using System.Text;
using System.Text.Json;
using DurableStreams.State;

namespace DurableStreams.Tests.State;

internal static class StateTestSupport
{
    /// <summary>Parses JSON written with single quotes (for readability) into an element that outlives its document.</summary>
    public static JsonElement Json(string singleQuoted)
    {
        using var doc = JsonDocument.Parse(singleQuoted.Replace('\'', '"'));
        return doc.RootElement.Clone();
    }

    public static string Insert(string type, string key, string value, string? txid = null) => Change("insert", type, key, value, txid);
    public static string Update(string type, string key, string value, string? txid = null) => Change("update", type, key, value, txid);
    public static string Upsert(string type, string key, string value, string? txid = null) => Change("upsert", type, key, value, txid);

    public static string Delete(string type, string key, string? txid = null) =>
        $"{{'type':'{type}','key':'{key}','headers':{{'operation':'delete'{Tx(txid)}}}}}";

    public static string Control(string control) => $"{{'headers':{{'control':'{control}'}}}}";

    private static string Change(string op, string type, string key, string value, string? txid) =>
        $"{{'type':'{type}','key':'{key}','value':{value},'headers':{{'operation':'{op}'{Tx(txid)}}}}}";

    private static string Tx(string? txid) => txid is null ? "" : $",'txid':'{txid}'";

    public static int Apply(this StateView view, string singleQuoted) => view.Apply(Json(singleQuoted));

    /// <summary>Everything a reader can observe of the view, as one canonical string (types and keys sorted).</summary>
    public static string Fingerprint(StateView view)
    {
        var text = new StringBuilder();
        text.Append("snapshot=").Append(view.IsInSnapshot).Append(';');
        foreach (string type in view.Types.Order(StringComparer.Ordinal))
        {
            text.Append(type).Append('{');
            foreach (var (key, value) in view.Collection(type).OrderBy(e => e.Key, StringComparer.Ordinal))
                text.Append(key).Append('=').Append(value.GetRawText()).Append(';');
            text.Append('}');
        }
        return text.ToString();
    }

    /// <summary>Records every <see cref="StateView.Changed"/> notification.</summary>
    public static List<StateChangedEventArgs> Record(StateView view)
    {
        var seen = new List<StateChangedEventArgs>();
        view.Changed += (_, e) => seen.Add(e);
        return seen;
    }

    public static string Raw(JsonElement element) => element.ValueKind == JsonValueKind.Undefined ? "<absent>" : element.GetRawText();
}
