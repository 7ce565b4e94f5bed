using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace DurableStreams.Conformance.Adapter;

/// <summary>
/// One running adapter process: writes command lines to its stdin, queues the lines it prints
/// on stdout, and hands every stderr line to a callback. Knows nothing about the meaning of lines.
/// </summary>
internal sealed class AdapterProcess : IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8WithoutBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Process _process;
    private readonly Channel<string> _stdoutLines = Channel.CreateUnbounded<string>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Task _stdoutPump;

    private AdapterProcess(Process process)
    {
        _process = process;
        _stdoutPump = PumpStdoutAsync();
    }

    public int Id => _process.Id;

    public static AdapterProcess Start(AdapterCommandLine commandLine, Action<string> onStderrLine)
    {
        var startInfo = new ProcessStartInfo(commandLine.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = Utf8WithoutBom,
            StandardOutputEncoding = Utf8WithoutBom,
            StandardErrorEncoding = Utf8WithoutBom,
        };
        foreach (var argument in commandLine.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onStderrLine(e.Data);
            }
        };

        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            throw new AdapterFailureException($"Could not start the client adapter '{commandLine}': {ex.Message}", ex);
        }

        process.BeginErrorReadLine();
        return new AdapterProcess(process);
    }

    public async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        // "\n" explicitly: the protocol is LF-framed on every OS.
        await _process.StandardInput.WriteAsync((line + "\n").AsMemory(), cancellationToken).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next stdout line, or <c>null</c> once stdout has closed (the adapter exited).</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _stdoutLines.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Lines printed while no command was waiting; the protocol says to drop them.</summary>
    public IEnumerable<string> TakeUnsolicitedLines()
    {
        while (_stdoutLines.Reader.TryRead(out var line))
        {
            yield return line;
        }
    }

    /// <summary>Exit code once the process has ended (waits briefly for it), else <c>null</c>.</summary>
    public async Task<int?> ExitCodeAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited in the meantime.
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        await _stdoutPump.ConfigureAwait(false);
        _process.Dispose();
    }

    // StreamReader.ReadLine ends lines at LF, CR or CRLF only, never at U+0085/U+2028/U+2029,
    // which is exactly the protocol's framing.
    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                _stdoutLines.Writer.TryWrite(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // Pipe broken: same as end of output.
        }
        finally
        {
            _stdoutLines.Writer.TryComplete();
        }
    }
}
