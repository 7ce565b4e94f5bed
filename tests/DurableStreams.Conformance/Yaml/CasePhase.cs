namespace DurableStreams.Conformance.Yaml;

/// <summary>The three lists a case is made of, in the order they run.</summary>
internal enum CasePhase
{
    Setup,
    Operations,
    Cleanup,
}

internal static class CasePhaseNames
{
    /// <summary>The YAML key of the phase, used in messages so a reader can find the step in the file.</summary>
    public static string YamlKey(this CasePhase phase) => phase switch
    {
        CasePhase.Setup => "setup",
        CasePhase.Operations => "operations",
        _ => "cleanup",
    };
}
