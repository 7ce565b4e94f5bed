namespace DurableStreams.Generators;

/// <summary>Names the generated code uses for its own parameters; URL placeholders may not take them.</summary>
internal static class GeneratedNames
{
    public const string ClientParameter = "client";
    public const string CancellationTokenParameter = "cancellationToken";

    public const string OptionsParameter = "options";

    public static bool IsReservedParameter(string name) => name is ClientParameter or CancellationTokenParameter;

    /// <summary>The parameters of a generated state class's <c>For</c> and <c>ConnectAsync</c>.</summary>
    public static bool IsReservedStateParameter(string name) => IsReservedParameter(name) || name == OptionsParameter;

    /// <summary>The static members a generated state class declares; a collection may not take their names.</summary>
    public static readonly string[] StateClassMembers = ["For", "ConnectAsync", "UrlFor", "UrlTemplate"];

    /// <summary>The generated class for a message type (nested types prefix their containers: <c>OuterInnerStream</c>).</summary>
    public const string StreamClassSuffix = "Stream";
}
