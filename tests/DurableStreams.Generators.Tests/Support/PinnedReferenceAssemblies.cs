using Microsoft.CodeAnalysis.Testing;

namespace DurableStreams.Generators.Tests.Support;

/// <summary>
/// The testing library's built-in <c>Net100</c> asks for Microsoft.NETCore.App.Ref 10.0.1, which this
/// package feed does not have; 10.0.12 is the targeting pack the SDK here ships with.
/// </summary>
internal static class PinnedReferenceAssemblies
{
    public static readonly ReferenceAssemblies Net100 = new(
        "net10.0",
        new PackageIdentity("Microsoft.NETCore.App.Ref", "10.0.12"),
        Path.Combine("ref", "net10.0"));
}
