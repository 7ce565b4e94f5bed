namespace DurableStreams.Conformance;

/// <summary>All cases share one reference server and one adapter process, and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ConformanceCollection : ICollectionFixture<ConformanceSession>
{
    public const string Name = "Durable Streams client conformance";
}
