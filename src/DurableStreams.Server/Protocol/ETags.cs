using System.Text;

namespace DurableStreams.Server.Protocol;

/// <summary>ETags name the stream, the requested start and the returned end; ":c" marks closure so a 304 never hides EOF (§10.1).</summary>
internal static class ETags
{
    public static string For(string streamPath, long generation, string start, string end, bool closed) =>
        $"\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(streamPath))}.{generation}:{start}:{end}{(closed ? ":c" : "")}\"";
}
