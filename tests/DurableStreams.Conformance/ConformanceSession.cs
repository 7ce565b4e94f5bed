using System.Net;
using DurableStreams.Conformance.Adapter;
using DurableStreams.Conformance.Http;
using DurableStreams.Conformance.Ratchet;
using DurableStreams.Conformance.Runner;
using DurableStreams.Conformance.Selection;
using DurableStreams.Conformance.TestFramework;
using DurableStreams.Conformance.Yaml;
using DurableStreams.Testing;
using Xunit.Sdk;

namespace DurableStreams.Conformance;

/// <summary>
/// Everything the whole run shares: one reference server, one adapter process (restarted only
/// after it fails), the known-failures list, and the outcomes collected for the update mode.
/// </summary>
public sealed class ConformanceSession : IAsyncLifetime
{
    private readonly DiagnosticSinkLogger _diagnostics;
    private readonly Dictionary<string, CaseOutcomeKind> _outcomes = new(StringComparer.Ordinal);
    private ReferenceServer? _server;
    private HttpClient? _http;
    private AdapterClient? _adapter;
    private CaseRunner? _runner;

    public ConformanceSession(IMessageSink diagnosticSink)
    {
        _diagnostics = new DiagnosticSinkLogger(diagnosticSink);
        KnownFailures = KnownFailuresFile.Load(Settings.KnownFailuresPath);
    }

    internal ConformanceSettings Settings => ConformanceSettings.Current;

    internal CaseCatalog Catalog => SuiteData.Catalog;

    internal KnownFailuresFile KnownFailures { get; }

    public async ValueTask InitializeAsync()
    {
        if (Catalog.Cases.Count == 0)
        {
            return; // Nothing to run; the problem rows report why.
        }

        // An external server (it must offer /_test/inject-error) replaces the reference server.
        var serverUrl = Settings.ServerUrl;
        if (serverUrl is null)
        {
            _server = await ReferenceServer.StartAsync(new ReferenceServerOptions { Logger = _diagnostics })
                .ConfigureAwait(false);
            serverUrl = _server.BaseUrl;
        }

        // The runner's own requests must see exactly what the server sends: no proxy, no decompression.
        _http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, UseProxy = false })
        {
            Timeout = Settings.CommandTimeout,
        };
        var commandLine = AdapterCommandLine.Resolve(Settings.AdapterOverride, AppContext.BaseDirectory);
        _adapter = new AdapterClient(commandLine, serverUrl, _diagnostics.Write);
        var executor = new StepExecutor(_adapter, new RunnerHttpActions(_http, serverUrl), Settings.CommandTimeout);
        _runner = new CaseRunner(executor);
    }

    /// <summary>Runs one case and applies the ratchet; returns the decision and the case's transcript.</summary>
    internal async Task<(RatchetDecision Decision, string Transcript)> RunCaseAsync(string caseKey, CancellationToken cancellationToken)
    {
        if (!Catalog.TryGet(caseKey, out var testCase) || _adapter is null || _runner is null)
        {
            throw new InvalidOperationException($"'{caseKey}' is not a loaded case, or the session did not start.");
        }

        var log = new CaseLog();
        _adapter.RedirectLog(log.Write);
        CaseOutcome outcome;
        try
        {
            outcome = await RunAsync(testCase, log, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _adapter.RedirectLog(_diagnostics.Write);
        }

        lock (_outcomes)
        {
            _outcomes[caseKey] = outcome.Kind;
        }

        var decision = RatchetDecision.For(outcome, KnownFailures.Lists(caseKey), Settings.UpdateKnownFailures);
        return (decision, log.ToString());
    }

    private async Task<CaseOutcome> RunAsync(ConformanceCase testCase, CaseLog log, CancellationToken cancellationToken)
    {
        try
        {
            var init = await _adapter!.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
            if (FeatureRequirements.SkipReason(testCase.SuiteRequires, testCase.Requires, init) is { } skipReason)
            {
                return CaseOutcome.Skipped(skipReason);
            }
        }
        catch (AdapterFailureException ex)
        {
            return CaseOutcome.Failed($"The adapter could not be started and initialised: {ex.Message}");
        }

        return await _runner!.RunAsync(testCase, log, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_adapter is not null)
        {
            await _adapter.DisposeAsync().ConfigureAwait(false);
        }

        _http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        if (Settings.UpdateKnownFailures && _outcomes.Count > 0)
        {
            var keys = KnownFailuresUpdate.NewList(KnownFailures, Catalog, _outcomes);
            await File.WriteAllTextAsync(Settings.KnownFailuresPath, KnownFailures.Render(keys)).ConfigureAwait(false);
            _diagnostics.Write($"rewrote {Settings.KnownFailuresPath} with {keys.Count} known failures");
        }
    }
}
