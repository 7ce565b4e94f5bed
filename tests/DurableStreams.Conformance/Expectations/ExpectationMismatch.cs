namespace DurableStreams.Conformance.Expectations;

/// <summary>
/// Why a result did not meet its step's expectation: the failing <c>expect</c> key, or no key
/// when the step succeeded/failed against what <c>expect</c> asked for (<see cref="StrictOutcomeRule"/>).
/// </summary>
internal sealed record ExpectationMismatch(string? Key, string Explanation)
{
    public static ExpectationMismatch Outcome(string explanation) => new(Key: null, explanation);

    public override string ToString() =>
        Key is null ? $"wrong outcome: {Explanation}" : $"expect.{Key} mismatched: {Explanation}";
}
