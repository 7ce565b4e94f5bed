namespace DurableStreams.Testing;

/// <summary>The reference server could not be installed, started or reached.</summary>
public sealed class ReferenceServerException : Exception
{
    public ReferenceServerException(string message)
        : base(message)
    {
    }

    public ReferenceServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
