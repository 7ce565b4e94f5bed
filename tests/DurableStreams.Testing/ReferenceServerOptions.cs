using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableStreams.Testing;

/// <summary>How <see cref="ReferenceServer.StartAsync"/> installs and launches the Node reference server.</summary>
public sealed record ReferenceServerOptions
{
    /// <summary>
    /// How long the server holds an idle long-poll open. The conformance cases assume 500 ms;
    /// the package default (30 s) would make several of them wait far longer than they allow.
    /// </summary>
    public TimeSpan LongPollTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Whether the server gzip/deflate-encodes large responses when the client accepts it.</summary>
    public bool Compression { get; init; } = true;

    /// <summary>
    /// Whether the server accepts <c>type: "webhook"</c> subscriptions (its <c>webhooks</c> option). Pull-wake
    /// subscriptions work either way. Its webhook sender accepts http URLs on 127.0.0.1, so a test can host the receiver.
    /// </summary>
    public bool Webhooks { get; init; }

    /// <summary>
    /// The npm project that pins the server package. Default: <c>tests/reference-server</c> under
    /// the repository root found by <see cref="RepositoryRoot.Locate"/>.
    /// </summary>
    public string? ServerDirectory { get; init; }

    /// <summary>Node executable (name on PATH or full path).</summary>
    public string NodeExecutable { get; init; } = "node";

    /// <summary>npm executable (name on PATH or full path); only needed when the package is not installed yet.</summary>
    public string NpmExecutable { get; init; } = "npm";

    /// <summary>Upper bound for <c>npm ci</c>, including the time spent waiting for another process's install.</summary>
    public TimeSpan InstallTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Upper bound between starting node and reading the server's URL line.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound for a graceful stop before the process tree is killed.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Receives the server's stderr lines and install progress.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}
