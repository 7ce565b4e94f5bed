using DurableStreams.Conformance.Selection;
using DurableStreams.Conformance.Yaml;

namespace DurableStreams.Conformance;

/// <summary>
/// The catalog, loaded once per process, and the theory rows made from it: one row per case
/// (display name <c>suite-id/test-id</c>), plus one failing row per problem that kept cases from
/// loading, so a missing or broken suite can never pass as "zero tests".
/// </summary>
internal static class SuiteData
{
    public const string ProblemRowPrefix = "#problem/";

    private static readonly Lazy<CaseCatalog> CatalogOnce = new(() => CaseCatalog.Load(ConformanceSettings.Current.CasesDirectory));

    public static CaseCatalog Catalog => CatalogOnce.Value;

    public static IEnumerable<TheoryDataRow<string>> Rows()
    {
        var catalog = Catalog;
        for (var i = 0; i < catalog.Problems.Count; i++)
        {
            yield return new TheoryDataRow<string>(ProblemRowPrefix + i) { TestDisplayName = $"conformance-cases/problem-{i + 1}" };
        }

        foreach (var testCase in catalog.Cases)
        {
            yield return new TheoryDataRow<string>(testCase.Key)
            {
                TestDisplayName = testCase.Key,
                Skip = StrictModeExemptions.ReasonFor(testCase.Key),
            };
        }
    }

    public static string? ProblemFor(string rowKey) =>
        rowKey.StartsWith(ProblemRowPrefix, StringComparison.Ordinal)
            ? Catalog.Problems[int.Parse(rowKey[ProblemRowPrefix.Length..], System.Globalization.CultureInfo.InvariantCulture)]
            : null;
}
