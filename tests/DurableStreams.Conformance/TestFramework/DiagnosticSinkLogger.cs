using Microsoft.Extensions.Logging;
using Xunit.Sdk;
using Xunit.v3;

namespace DurableStreams.Conformance.TestFramework;

/// <summary>
/// Sends log lines that belong to no single case (reference server stderr, adapter restarts
/// between cases) to xunit's diagnostic messages (shown with <c>diagnosticMessages: true</c>).
/// </summary>
internal sealed class DiagnosticSinkLogger(IMessageSink sink) : ILogger
{
    public void Write(string line) => sink.OnMessage(new DiagnosticMessage("[conformance] " + line));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Write(formatter(state, exception) + (exception is null ? string.Empty : " " + exception.Message));
        }
    }
}
