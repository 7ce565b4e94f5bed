using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DurableStreams.Server.Tests.Telemetry;

/// <summary>The server's health check: registered with AddHealthChecks(), mapped at /healthz, failing when the store cannot persist.</summary>
public sealed class ServerHealthCheckTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ds-health-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private static Task<TestApp> StartAsync(Action<DurableStreamsServerOptions>? configure = null, HealthStatus? failureStatus = null) => TestApp.StartAsync(
        builder =>
        {
            builder.Services.AddDurableStreamsServer(configure);
            builder.Services.AddHealthChecks().AddDurableStreamsServerStore(failureStatus: failureStatus, tags: ["ready"]);
        },
        app =>
        {
            app.UseCors();
            app.MapDurableStreams();
            app.MapHealthChecks("/healthz");
        });

    private static async Task<HealthReportEntry> CheckAsync(TestApp app)
    {
        var report = await app.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        return report.Entries[DurableStreamsServerTelemetry.HealthCheckName];
    }

    private void UseFileStore(DurableStreamsServerOptions options)
    {
        options.Store = DurableStreamsStoreKind.File;
        options.DataDirectory = _directory;
    }

    [Fact]
    public async Task The_memory_store_is_healthy_and_healthz_answers_200()
    {
        await using var app = await StartAsync();
        using var http = app.CreateHttpClient();
        await http.PutAsync("/v1/stream/h", new StringContent("", Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);

        var entry = await CheckAsync(app);
        var response = await http.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("memory", entry.Data["store"]);
        Assert.Equal(1, entry.Data["streams"]);
        Assert.Contains("ready", entry.Tags);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_file_store_is_healthy_while_its_directory_takes_writes()
    {
        await using var app = await StartAsync(UseFileStore);

        var entry = await CheckAsync(app);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("file", entry.Data["store"]);
        // The probe leaves nothing behind.
        Assert.Equal(["streams.journal"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task The_file_store_is_unhealthy_once_its_directory_is_deleted_and_healthz_answers_503()
    {
        await using var app = await StartAsync(UseFileStore);
        using var http = app.CreateHttpClient();

        Directory.Delete(_directory, recursive: true);
        var entry = await CheckAsync(app);
        var response = await http.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("data directory", entry.Description);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task A_deleted_journal_reports_the_registered_failure_status()
    {
        await using var app = await StartAsync(UseFileStore, failureStatus: HealthStatus.Degraded);

        File.Delete(Path.Combine(_directory, "streams.journal"));
        var entry = await CheckAsync(app);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("journal", entry.Description);
    }

    [Fact]
    public async Task A_directory_recreated_under_the_store_is_unhealthy()
    {
        await using var app = await StartAsync(UseFileStore);
        using var http = app.CreateHttpClient();
        await http.PutAsync("/v1/stream/kept", new StringContent("data", Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);

        // Deleted and recreated with an empty journal: the store still writes into the deleted file.
        Directory.Delete(_directory, recursive: true);
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "streams.journal"), "");
        var entry = await CheckAsync(app);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("journal", entry.Description);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_read_only_directory_is_unhealthy()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows() || Environment.UserName == "root", "needs Unix permissions that apply (not root)");
        await using var app = await StartAsync(UseFileStore);

        File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var entry = await CheckAsync(app);

            Assert.Equal(HealthStatus.Unhealthy, entry.Status);
            Assert.Contains("not writable", entry.Description);
            Assert.NotNull(entry.Exception);
        }
        finally
        {
            File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
