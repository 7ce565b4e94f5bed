using System.Text.Json.Serialization;

namespace DurableStreams.Generators.Tests;

/// <summary>The generator matches types by name; these names must stay those of the real types.</summary>
public sealed class KnownTypeNamesTests
{
    [Fact]
    public void Names_match_the_real_types()
    {
        Assert.Equal(KnownTypeNames.DurableStreamAttribute, typeof(DurableStreamAttribute).FullName);
        Assert.Equal(KnownTypeNames.DurableStreamAttributeJsonContext, nameof(DurableStreamAttribute.JsonContext));
        Assert.Equal(KnownTypeNames.DurableStateAttribute, typeof(DurableStreams.State.DurableStateAttribute).FullName);
        Assert.Equal(KnownTypeNames.DurableStateAttributeJsonContext, nameof(DurableStreams.State.DurableStateAttribute.JsonContext));
        Assert.Equal(KnownTypeNames.StateEntityAttribute, typeof(DurableStreams.State.StateEntityAttribute).FullName);
        Assert.Equal(KnownTypeNames.StateKeyAttribute, typeof(DurableStreams.State.StateKeyAttribute).FullName);
        Assert.Equal(KnownTypeNames.StateCollectionAttribute, typeof(DurableStreams.State.StateCollectionAttribute<>).FullName);
        Assert.Equal(KnownTypeNames.DurableState, typeof(DurableStreams.State.DurableState).FullName);
        Assert.Equal(KnownTypeNames.JsonSerializerContext, typeof(JsonSerializerContext).FullName);
        Assert.Equal(KnownTypeNames.JsonSerializableAttribute, typeof(JsonSerializableAttribute).FullName);
        Assert.Equal(KnownTypeNames.JsonDerivedTypeAttribute, typeof(JsonDerivedTypeAttribute).FullName);
    }
}
