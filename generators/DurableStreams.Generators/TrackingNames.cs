namespace DurableStreams.Generators;

/// <summary>Names of the pipeline steps, so tests can check each one is cached when its input is unchanged.</summary>
internal static class TrackingNames
{
    /// <summary>Every <c>[DurableStream]</c> declaration, parsed (null when invalid).</summary>
    public const string StreamDeclarations = nameof(StreamDeclarations);

    /// <summary>The declarations the generator will emit a class for.</summary>
    public const string ValidStreams = nameof(ValidStreams);

    /// <summary>Every user-written <c>JsonSerializerContext</c>, with the types it lists.</summary>
    public const string JsonContexts = nameof(JsonContexts);

    /// <summary>All contexts of the compilation, de-duplicated and ordered.</summary>
    public const string JsonContextIndex = nameof(JsonContextIndex);

    /// <summary>Each valid declaration paired with the context that encodes its messages.</summary>
    public const string StreamClasses = nameof(StreamClasses);

    /// <summary>Every <c>[DurableState]</c> declaration, parsed (null when invalid).</summary>
    public const string StateDeclarations = nameof(StateDeclarations);

    /// <summary>The state declarations the generator will complete.</summary>
    public const string ValidStates = nameof(ValidStates);

    /// <summary>Each valid state with the context of each of its collections.</summary>
    public const string StateClasses = nameof(StateClasses);
}
