using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Testing;

/// <summary>Runs <c>npm ci</c> in the reference-server npm project when its server package is missing.</summary>
internal static class ReferenceServerInstaller
{
    private const int OutputLinesKeptForErrors = 40;

    /// <summary>Whether every direct dependency of the npm project is in its node_modules (an older install may lack a newer one).</summary>
    public static bool IsInstalled(string serverDirectory)
    {
        var modules = Path.Combine(serverDirectory, "node_modules");
        if (!Directory.Exists(Path.Combine(modules, "@durable-streams", "server")))
        {
            return false;
        }

        try
        {
            using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(serverDirectory, "package.json")));
            return !manifest.RootElement.TryGetProperty("dependencies", out var dependencies)
                || dependencies.EnumerateObject().All(d => Directory.Exists(Path.Combine(modules, d.Name)));
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return false; // npm ci reports what is wrong with the project
        }
    }

    public static async Task EnsureInstalledAsync(
        string serverDirectory, ReferenceServerOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.InstallTimeout);

        // Check under the lock: a concurrent `npm ci` deletes and refills node_modules, so an
        // unlocked check could see a half-written tree.
        using var installLock = await AcquireInstallLockAsync(serverDirectory, options, cancellationToken, timeout.Token)
            .ConfigureAwait(false);
        if (IsInstalled(serverDirectory))
        {
            return;
        }

        var npm = ExecutableLocator.FindOnPath(options.NpmExecutable)
            ?? throw new ReferenceServerException(
                $"The reference server is not installed in '{serverDirectory}' and '{options.NpmExecutable}' " +
                "was not found on PATH. Install Node.js 20+ (which ships npm), or run `npm ci` in that folder.");

        options.Logger.LogInformation("Installing the reference server: npm ci in {Directory}", serverDirectory);
        await RunNpmCiAsync(npm, serverDirectory, options.Logger, cancellationToken, timeout.Token).ConfigureAwait(false);

        if (!IsInstalled(serverDirectory))
        {
            throw new ReferenceServerException(
                $"`npm ci` succeeded in '{serverDirectory}' but node_modules/@durable-streams/server is still missing; " +
                "check that package.json depends on @durable-streams/server.");
        }
    }

    private static async Task<CrossProcessLock> AcquireInstallLockAsync(
        string serverDirectory, ReferenceServerOptions options, CancellationToken callerToken, CancellationToken deadlineToken)
    {
        // The lock lives in the temp folder so the repository never sees it; the name is derived
        // from the project folder so unrelated checkouts do not wait for each other.
        var pathHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(serverDirectory))));
        var lockFile = Path.Combine(Path.GetTempPath(), $"durable-streams-reference-server-{pathHash[..16]}.lock");
        try
        {
            return await CrossProcessLock.AcquireAsync(lockFile, deadlineToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            throw new ReferenceServerException(
                $"Timed out after {options.InstallTimeout} waiting for another process's reference server install (lock {lockFile}).");
        }
    }

    private static async Task RunNpmCiAsync(
        string npm, string serverDirectory, ILogger logger, CancellationToken callerToken, CancellationToken deadlineToken)
    {
        var startInfo = new ProcessStartInfo(npm)
        {
            WorkingDirectory = serverDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("ci");
        startInfo.ArgumentList.Add("--no-audit");
        startInfo.ArgumentList.Add("--no-fund");

        var recentOutput = new BoundedLineBuffer(OutputLinesKeptForErrors);
        using var npmProcess = new Process { StartInfo = startInfo };
        DataReceivedEventHandler forward = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            recentOutput.Add(e.Data);
            logger.LogDebug("[npm] {Line}", e.Data);
        };
        npmProcess.OutputDataReceived += forward;
        npmProcess.ErrorDataReceived += forward;

        try
        {
            npmProcess.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new ReferenceServerException($"Could not start '{npm} ci': {ex.Message}", ex);
        }

        npmProcess.BeginOutputReadLine();
        npmProcess.BeginErrorReadLine();
        try
        {
            await npmProcess.WaitForExitAsync(deadlineToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            npmProcess.Kill(entireProcessTree: true);
            if (callerToken.IsCancellationRequested)
            {
                throw;
            }

            throw new ReferenceServerException(
                $"`npm ci` in '{serverDirectory}' did not finish in time. Last output:\n{recentOutput}");
        }

        if (npmProcess.ExitCode != 0)
        {
            throw new ReferenceServerException(
                $"`npm ci` in '{serverDirectory}' failed with exit code {npmProcess.ExitCode}. Last output:\n{recentOutput}");
        }
    }
}
