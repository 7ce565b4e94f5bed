namespace DurableStreams.Conformance.Adapter;

/// <summary>
/// The adapter could not be used for a command: it failed to start, exited, timed out, or printed
/// something that is not a JSON object. The client restarts it before the next command.
/// </summary>
internal sealed class AdapterFailureException : Exception
{
    public AdapterFailureException(string message)
        : base(message)
    {
    }

    public AdapterFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
