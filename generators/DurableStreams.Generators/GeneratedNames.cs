namespace DurableStreams.Generators;

/// <summary>Names the generated code uses for its own parameters; URL placeholders may not take them.</summary>
internal static class GeneratedNames
{
    public const string ClientParameter = "client";
    public const string CancellationTokenParameter = "cancellationToken";

    public static bool IsReservedParameter(string name) => name is ClientParameter or CancellationTokenParameter;

    /// <summary>The generated class for a message type (nested types prefix their containers: <c>OuterInnerStream</c>).</summary>
    public const string StreamClassSuffix = "Stream";
}
