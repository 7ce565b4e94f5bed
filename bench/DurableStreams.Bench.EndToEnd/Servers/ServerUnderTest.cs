using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using DurableStreams.Testing;

namespace DurableStreams.Bench.EndToEnd.Servers;

/// <summary>
/// One server in its own process: the Node reference server, or the embedded .NET server (samples/DurableStreams.DevServer,
/// the same DurableStreams.Server an app embeds) with its memory or file store. Each is measured from outside, the same way.
/// </summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly IAsyncDisposable? _reference;
    private readonly Process? _process;
    private readonly string? _dataDirectory;

    private ServerUnderTest(string name, string baseUrl, int processId, IAsyncDisposable? reference, Process? process, string? dataDirectory)
    {
        Name = name;
        BaseUrl = baseUrl;
        ProcessId = processId;
        _reference = reference;
        _process = process;
        _dataDirectory = dataDirectory;
    }

    /// <summary>"reference", "memory" or "file".</summary>
    public string Name { get; }

    public string BaseUrl { get; }

    public int ProcessId { get; }

    /// <summary>Whether the server answers <c>GET /_bench/memory</c> (managed heap after a full collection).</summary>
    public bool Embedded => _process is not null;

    /// <summary>"baseline" is the memory store of another dev server build (<paramref name="baselineDll"/>), for A/B of a server change.</summary>
    public static async Task<ServerUnderTest> StartAsync(string name, string? baselineDll = null) => name switch
    {
        "reference" => await StartReferenceAsync().ConfigureAwait(false),
        "memory" or "file" => await StartEmbeddedAsync(name, name, DevServerPath()).ConfigureAwait(false),
        "baseline" => await StartEmbeddedAsync(name, "memory", baselineDll ?? throw new ArgumentNullException(nameof(baselineDll))).ConfigureAwait(false),
        _ => throw new ArgumentException($"Unknown server '{name}' (reference, memory, file, baseline)."),
    };

    private static async Task<ServerUnderTest> StartReferenceAsync()
    {
        // As in the client bench: compression off, long-poll hold 30 s.
        var server = await ReferenceServer.StartAsync(new ReferenceServerOptions { LongPollTimeout = TimeSpan.FromSeconds(30), Compression = false }).ConfigureAwait(false);
        return new ServerUnderTest("reference", server.BaseUrl, server.ProcessId, server, null, null);
    }

    /// <summary>The dev server's build output of the same configuration as this program (built with it: a project reference).</summary>
    public static string DevServerPath()
    {
        var configuration = typeof(ServerUnderTest).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        return Path.Combine(RepositoryRoot.Locate(), "samples", "DurableStreams.DevServer", "bin", configuration, "net10.0", "DurableStreams.DevServer.dll");
    }

    private static async Task<ServerUnderTest> StartEmbeddedAsync(string name, string store, string dll)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException($"The dev server is not built: {dll}");
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var data = store == "file" ? Directory.CreateTempSubdirectory("ds-bench-file-").FullName : null;
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, "--urls", url, "--store", store, "--long-poll-timeout", "30", "--bench-diagnostics", "true" })
            start.ArgumentList.Add(arg);
        if (data is not null) { start.ArgumentList.Add("--data-dir"); start.ArgumentList.Add(data); }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase)) Console.WriteLine($"[{store} server] {line}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.WriteLine($"[{store} server stderr] {line}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"The {store} dev server exited with code {process.ExitCode}.");
            try
            {
                using var response = await http.GetAsync(url + "/_bench/memory").ConfigureAwait(false);
                if (response.IsSuccessStatusCode) return new ServerUnderTest(name, url, process.Id, null, process, data);
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"The {store} dev server did not answer on {url} within 30 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_reference is not null) await _reference.DisposeAsync().ConfigureAwait(false);
        if (_process is not null)
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
            _process.Dispose();
        }
        if (_dataDirectory is not null)
        {
            try { Directory.Delete(_dataDirectory, recursive: true); }
            catch (IOException) { }
        }
    }
}
