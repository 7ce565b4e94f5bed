using DurableStreams.Server.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DurableStreams.Server.Telemetry;

/// <summary>
/// Whether the server's store can take writes. The memory store always can. The file store needs its data
/// directory and journal in place, its last journal write to have succeeded, a probe file to be writable in the
/// directory, and room on the disk for at least one largest append (else Degraded: it works until that fills).
/// </summary>
internal sealed class DurableStreamsServerHealthCheck(IStreamStore store, DurableStreamsServerOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failure = context.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        var data = new Dictionary<string, object>
        {
            ["store"] = store is FileStreamStore ? "file" : "memory",
            ["streams"] = store.StreamCount,
        };
        return Task.FromResult(store is FileStreamStore file ? CheckFile(file, failure, data) : new HealthCheckResult(HealthStatus.Healthy, "Memory store", data: data));
    }

    private HealthCheckResult CheckFile(FileStreamStore store, HealthStatus failure, Dictionary<string, object> data)
    {
        // The open journal handle keeps writing into a deleted file, so a request would succeed and be lost on restart.
        if (!Directory.Exists(store.DataDirectory))
            return new(failure, "The data directory of the file store no longer exists; writes would be lost on restart", data: data);
        if (!store.JournalInPlace())
            return new(failure, "The journal of the file store was deleted or replaced; writes would be lost on restart", data: data);
        if (store.LastWriteFailure is { } writeFailure)
            return new(failure, "The last journal write failed", writeFailure, data);

        var probe = Path.Combine(store.DataDirectory, $".health-{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new(failure, "The data directory of the file store is not writable", ex, data);
        }

        try
        {
            var free = new DriveInfo(store.DataDirectory).AvailableFreeSpace;
            data["free_bytes"] = free;
            if (free < options.MaxRequestBodyBytes)
                return new(HealthStatus.Degraded, "Less free disk space than one largest append (MaxRequestBodyBytes)", data: data);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Free space is unknown on this platform or mount: not a reason to fail the check.
        }
        return new(HealthStatus.Healthy, "File store", data: data);
    }
}
