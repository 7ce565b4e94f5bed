namespace DurableStreams.Http;

/// <summary>
/// A transport or body failure that surfaces after the caller's token fired raced with that cancellation (a reset
/// connection, a cut body). The caller asked to stop, so it gets the cancellation, with the failure inside, and
/// never the raw transport exception.
/// </summary>
internal static class CancellationRace
{
    /// <summary>Whether <paramref name="failure"/> came after the caller cancelled and is not the cancellation itself.</summary>
    public static bool Lost(Exception failure, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested && failure is not OperationCanceledException;

    /// <summary>The cancellation the caller asked for, carrying the failure that raced with it.</summary>
    public static OperationCanceledException Cancelled(Exception failure, CancellationToken cancellationToken) =>
        new("The operation was canceled.", failure, cancellationToken);
}
