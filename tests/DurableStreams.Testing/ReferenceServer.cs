using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Testing;

/// <summary>
/// A running instance of the Node reference server (<c>@durable-streams/server</c>, pinned in
/// <c>tests/reference-server</c>). The server lives until this object is disposed; it also stops
/// by itself when this process dies, because it exits when its stdin closes.
/// </summary>
public sealed class ReferenceServer : IAsyncDisposable
{
    private const int StderrLinesKeptForErrors = 40;

    private readonly Process _process;
    private readonly ReferenceServerOptions _options;
    private readonly Task _stdoutDrain;
    private int _disposed;

    private ReferenceServer(Process process, ReferenceServerOptions options, string baseUrl, Task stdoutDrain)
    {
        _process = process;
        _options = options;
        _stdoutDrain = stdoutDrain;
        BaseUrl = baseUrl;
        BaseAddress = new Uri(baseUrl + "/");
    }

    /// <summary>Server root with a trailing slash, ready for <see cref="HttpClient.BaseAddress"/>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Server root without a trailing slash (<c>http://127.0.0.1:PORT</c>); stream URLs are this plus the path.</summary>
    public string BaseUrl { get; }

    /// <summary>Process id of the node process, for diagnostics.</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// Installs the server package if needed (<c>npm ci</c>, serialised across processes) and starts it.
    /// </summary>
    /// <exception cref="ReferenceServerException">node/npm are missing, the install failed, or the server did not report its URL in time.</exception>
    public static async Task<ReferenceServer> StartAsync(
        ReferenceServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ReferenceServerOptions();
        var serverDirectory = options.ServerDirectory
            ?? Path.Combine(RepositoryRoot.Locate(), "tests", "reference-server");
        var launcher = Path.Combine(serverDirectory, "server.mjs");
        if (!File.Exists(launcher))
        {
            throw new ReferenceServerException($"The reference server launcher '{launcher}' does not exist.");
        }

        var node = ExecutableLocator.FindOnPath(options.NodeExecutable)
            ?? throw new ReferenceServerException(
                $"'{options.NodeExecutable}' was not found on PATH; the reference server needs Node.js 20 or newer.");

        await ReferenceServerInstaller.EnsureInstalledAsync(serverDirectory, options, cancellationToken).ConfigureAwait(false);

        var recentStderr = new BoundedLineBuffer(StderrLinesKeptForErrors);
        var process = StartNode(node, launcher, serverDirectory, options, recentStderr);
        try
        {
            var stdout = process.StandardOutput;
            var url = await ReadUrlLineAsync(process, stdout, recentStderr, options, cancellationToken).ConfigureAwait(false);
            var drain = DrainStdoutAsync(stdout, options.Logger);
            options.Logger.LogInformation("Reference server listening on {Url} (pid {Pid})", url, process.Id);
            return new ReferenceServer(process, options, url, drain);
        }
        catch
        {
            KillQuietly(process);
            process.Dispose();
            throw;
        }
    }

    private static Process StartNode(
        string node, string launcher, string serverDirectory, ReferenceServerOptions options, BoundedLineBuffer recentStderr)
    {
        var startInfo = new ProcessStartInfo(node)
        {
            WorkingDirectory = serverDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add(launcher);
        startInfo.Environment["DS_PORT"] = options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        startInfo.Environment["DS_LONG_POLL_TIMEOUT_MS"] =
            ((long)options.LongPollTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        startInfo.Environment["DS_COMPRESSION"] = options.Compression ? "true" : "false";
        startInfo.Environment["DS_WEBHOOKS"] = options.Webhooks ? "true" : "false";

        var process = new Process { StartInfo = startInfo };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            recentStderr.Add(e.Data);
            options.Logger.LogInformation("[reference-server stderr] {Line}", e.Data);
        };

        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            throw new ReferenceServerException($"Could not start '{node} {launcher}': {ex.Message}", ex);
        }

        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> ReadUrlLineAsync(
        Process process,
        StreamReader stdout,
        BoundedLineBuffer recentStderr,
        ReferenceServerOptions options,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartupTimeout);

        string? line;
        try
        {
            line = await stdout.ReadLineAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ReferenceServerException(
                $"The reference server did not print its URL within {options.StartupTimeout}. stderr:\n{recentStderr}");
        }

        if (line is null)
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            throw new ReferenceServerException(
                $"The reference server exited with code {process.ExitCode} before reporting its URL. stderr:\n{recentStderr}");
        }

        try
        {
            var url = JsonNode.Parse(line)?["url"]?.GetValue<string>();
            if (!string.IsNullOrEmpty(url))
            {
                return url.TrimEnd('/');
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // Reported below with the offending line.
        }

        throw new ReferenceServerException($"Expected a line like {{\"url\":\"http://...\"}} from the reference server, got: {line}");
    }

    // Nothing else is expected on stdout, but reading it keeps the pipe from filling up if something is printed.
    private static async Task DrainStdoutAsync(StreamReader stdout, ILogger logger)
    {
        try
        {
            while (await stdout.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                logger.LogDebug("[reference-server stdout] {Line}", line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The process went away; nothing left to read.
        }
    }

    /// <summary>Stops the server: closes its stdin (a graceful stop), then kills it if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        using (var timeout = new CancellationTokenSource(_options.ShutdownTimeout))
        {
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _options.Logger.LogWarning("Reference server did not stop within {Timeout}; killing it", _options.ShutdownTimeout);
                KillQuietly(_process);
            }
        }

        await _stdoutDrain.ConfigureAwait(false);
        _process.Dispose();
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited in the meantime.
        }
    }
}
