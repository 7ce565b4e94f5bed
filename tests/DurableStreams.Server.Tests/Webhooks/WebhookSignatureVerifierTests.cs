using System.Text;
using DurableStreams.Server.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace DurableStreams.Server.Tests.Webhooks;

public sealed class WebhookSignatureVerifierTests : IDisposable
{
    private static readonly byte[] Body = """{"subscription_id":"sub-1","wake_id":"w_1","generation":1,"streams":[]}"""u8.ToArray();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-06T10:00:00Z"));
    private readonly TestSigningKey _key = new("ds_key_a");
    private readonly JwksHandler _jwks;

    public WebhookSignatureVerifierTests() => _jwks = new JwksHandler(_key);

    private WebhookSignatureVerifier Verifier(Action<DurableStreamsWebhookOptions>? configure = null)
    {
        var options = new DurableStreamsWebhookOptions { StreamRoot = new Uri("http://streams.test/v1/stream"), TimeProvider = _time };
        configure?.Invoke(options);
        return new WebhookSignatureVerifier(new HttpClient(_jwks), options);
    }

    [Fact]
    public async Task A_good_signature_verifies_with_the_key_from_the_jwks()
    {
        var verifier = Verifier();
        var result = await verifier.VerifyAsync(_key.Sign(_time.GetUtcNow(), Body), Body);
        Assert.Equal(WebhookRejection.None, result.Rejection);
        Assert.True(result.IsValid);
        Assert.Equal("ds_key_a", result.KeyId);
        Assert.Equal(new Uri("http://streams.test/v1/stream/__ds/jwks.json"), verifier.JwksUrl);
        Assert.Equal(1, _jwks.Requests);
    }

    [Fact]
    public async Task A_tampered_body_is_refused()
    {
        var header = _key.Sign(_time.GetUtcNow(), Body);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("\"generation\":1", "\"generation\":2"));
        Assert.Equal(WebhookRejection.BadSignature, (await Verifier().VerifyAsync(header, tampered)).Rejection);
    }

    [Fact]
    public async Task A_changed_timestamp_is_refused_because_it_is_signed_too()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var header = _key.Sign(_time.GetUtcNow(), Body).Replace($"t={now}", $"t={now - 1}");
        Assert.Equal(WebhookRejection.BadSignature, (await Verifier().VerifyAsync(header, Body)).Rejection);
    }

    [Fact]
    public async Task A_signature_by_another_key_under_a_known_kid_is_refused()
    {
        using var impostor = new TestSigningKey("ds_key_a");
        Assert.Equal(WebhookRejection.BadSignature, (await Verifier().VerifyAsync(impostor.Sign(_time.GetUtcNow(), Body), Body)).Rejection);
    }

    [Fact]
    public async Task An_unknown_kid_is_refused()
    {
        var result = await Verifier().VerifyAsync(_key.Sign(_time.GetUtcNow(), Body, kid: "ds_nobody"), Body);
        Assert.Equal(WebhookRejection.UnknownKey, result.Rejection);
        Assert.Equal("ds_nobody", result.KeyId);
    }

    [Fact]
    public async Task A_stale_timestamp_is_refused_without_fetching_keys()
    {
        var verifier = Verifier();
        var header = _key.Sign(_time.GetUtcNow() - TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(2), Body);
        Assert.Equal(WebhookRejection.StaleTimestamp, (await verifier.VerifyAsync(header, Body)).Rejection);
        Assert.Equal(0, _jwks.Requests);

        // Inside the window it is fine, and the window is configurable.
        var older = _key.Sign(_time.GetUtcNow() - TimeSpan.FromMinutes(4), Body);
        Assert.True((await verifier.VerifyAsync(older, Body)).IsValid);
        Assert.Equal(WebhookRejection.StaleTimestamp,
            (await Verifier(o => o.ReplayWindow = TimeSpan.FromMinutes(1)).VerifyAsync(older, Body)).Rejection);
    }

    [Fact]
    public async Task A_future_timestamp_beyond_the_clock_skew_is_refused()
    {
        var verifier = Verifier();
        Assert.Equal(WebhookRejection.FutureTimestamp,
            (await verifier.VerifyAsync(_key.Sign(_time.GetUtcNow() + TimeSpan.FromMinutes(2), Body), Body)).Rejection);
        Assert.True((await verifier.VerifyAsync(_key.Sign(_time.GetUtcNow() + TimeSpan.FromSeconds(10), Body), Body)).IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("t=abc,kid=ds_key_a,ed25519=SIG")]
    [InlineData("t=-5,kid=ds_key_a,ed25519=SIG")]
    [InlineData("kid=ds_key_a,ed25519=SIG")]
    [InlineData("t=NOW,ed25519=SIG")]
    [InlineData("t=NOW,kid=ds_key_a")]
    [InlineData("t=NOW,t=NOW,kid=ds_key_a,ed25519=SIG")]
    [InlineData("t=NOW,kid=,ed25519=SIG")]
    [InlineData("t=NOW,kid=ds_key_a,ed25519=SIG==")]
    [InlineData("t=NOW,kid=ds_key_a,ed25519=AAAA")]
    [InlineData("t=NOW,kid=ds_key_a,ed25519=SIG+/")]
    [InlineData("t=NOW;kid=ds_key_a;ed25519=SIG")]
    public async Task A_malformed_header_is_refused(string template)
    {
        var good = _key.Sign(_time.GetUtcNow(), Body);
        var signature = good[(good.IndexOf("ed25519=", StringComparison.Ordinal) + 8)..];
        var header = template.Replace("NOW", _time.GetUtcNow().ToUnixTimeSeconds().ToString()).Replace("SIG", signature);
        var verifier = Verifier();
        Assert.Equal(WebhookRejection.MalformedSignature, (await verifier.VerifyAsync(header, Body)).Rejection);
        Assert.Equal(0, _jwks.Requests);
    }

    [Fact]
    public async Task The_well_formed_counterpart_of_the_malformed_cases_verifies()
    {
        // Guards the theory above: the same construction without the defect is accepted, spaces and extra parameters tolerated.
        var good = _key.Sign(_time.GetUtcNow(), Body);
        var spaced = good.Replace(",", ", ") + ", v2=future";
        Assert.True((await Verifier().VerifyAsync(spaced, Body)).IsValid);
    }

    [Fact]
    public async Task A_missing_header_is_refused()
    {
        Assert.Equal(WebhookRejection.MissingSignature, (await Verifier().VerifyAsync(null, Body)).Rejection);
    }

    [Fact]
    public async Task An_exact_replay_inside_the_window_is_refused_and_a_new_signature_of_the_same_wake_is_not()
    {
        var verifier = Verifier();
        var header = _key.Sign(_time.GetUtcNow(), Body);
        Assert.True((await verifier.VerifyAsync(header, Body)).IsValid);
        Assert.Equal(WebhookRejection.Replayed, (await verifier.VerifyAsync(header, Body)).Rejection);

        // The server's retry of the same wake is signed again at a later second: accepted.
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True((await verifier.VerifyAsync(_key.Sign(_time.GetUtcNow(), Body), Body)).IsValid);

        // Out of the window the replay is refused as stale instead, and the memory has let it go.
        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(WebhookRejection.StaleTimestamp, (await verifier.VerifyAsync(header, Body)).Rejection);
    }

    [Fact]
    public async Task Replays_are_accepted_when_the_memory_is_off()
    {
        var verifier = Verifier(o => o.RejectReplays = false);
        var header = _key.Sign(_time.GetUtcNow(), Body);
        Assert.True((await verifier.VerifyAsync(header, Body)).IsValid);
        Assert.True((await verifier.VerifyAsync(header, Body)).IsValid);
    }

    [Fact]
    public async Task A_forgotten_signature_is_accepted_again()
    {
        var verifier = Verifier();
        var header = _key.Sign(_time.GetUtcNow(), Body);
        var first = await verifier.VerifyAsync(header, Body);
        verifier.Forget(first);
        Assert.True((await verifier.VerifyAsync(header, Body)).IsValid);
    }

    [Fact]
    public async Task An_unknown_kid_triggers_one_jwks_refetch_which_finds_the_rotated_key()
    {
        using var next = new TestSigningKey("ds_key_b");
        var verifier = Verifier();
        Assert.True((await verifier.VerifyAsync(_key.Sign(_time.GetUtcNow(), Body), Body)).IsValid);
        Assert.Equal(1, _jwks.Requests);

        // The server rotates: it publishes the new key beside the old one and signs with the new one.
        _jwks.Publish(_key, next);
        Assert.True((await verifier.VerifyAsync(next.Sign(_time.GetUtcNow(), Body), Body)).IsValid);
        Assert.Equal(2, _jwks.Requests);

        // Both keys are now cached: no more requests.
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await verifier.VerifyAsync(_key.Sign(_time.GetUtcNow(), Body), Body)).IsValid);
        Assert.True((await verifier.VerifyAsync(next.Sign(_time.GetUtcNow(), Body), Body)).IsValid);
        Assert.Equal(2, _jwks.Requests);

        // Forged key ids cannot make it hammer the server: one re-fetch per refresh interval.
        for (var i = 0; i < 5; i++)
            Assert.Equal(WebhookRejection.UnknownKey, (await verifier.VerifyAsync(_key.Sign(_time.GetUtcNow(), Body, kid: "ds_forged" + i), Body)).Rejection);
        Assert.Equal(2, _jwks.Requests);
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(WebhookRejection.UnknownKey, (await verifier.VerifyAsync(_key.Sign(_time.GetUtcNow(), Body, kid: "ds_forged"), Body)).Rejection);
        Assert.Equal(3, _jwks.Requests);
    }

    [Fact]
    public async Task Keys_are_cached_for_the_jwks_max_age()
    {
        _jwks.CacheControl = "public, max-age=60";
        var verifier = Verifier();
        Assert.True((await verifier.VerifyAsync(_key.Sign(_time.GetUtcNow(), Body), Body)).IsValid);
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.True((await verifier.VerifyAsync(_key.Sign(_time.GetUtcNow(), Body), Body)).IsValid);
        Assert.Equal(1, _jwks.Requests);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True((await verifier.VerifyAsync(_key.Sign(_time.GetUtcNow(), Body), Body)).IsValid);
        Assert.Equal(2, _jwks.Requests);
    }

    [Fact]
    public async Task A_failing_jwks_means_keys_unavailable_and_a_later_fetch_keeps_working()
    {
        _jwks.Status = System.Net.HttpStatusCode.InternalServerError;
        var verifier = Verifier();
        Assert.Equal(WebhookRejection.KeysUnavailable, (await verifier.VerifyAsync(_key.Sign(_time.GetUtcNow(), Body), Body)).Rejection);
        _jwks.Status = System.Net.HttpStatusCode.OK;
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.True((await verifier.VerifyAsync(_key.Sign(_time.GetUtcNow(), Body), Body)).IsValid);
    }

    [Fact]
    public async Task Stale_keys_are_kept_when_a_refresh_fails()
    {
        _jwks.CacheControl = "max-age=10";
        var verifier = Verifier();
        Assert.True((await verifier.VerifyAsync(_key.Sign(_time.GetUtcNow(), Body), Body)).IsValid);
        _jwks.Status = System.Net.HttpStatusCode.ServiceUnavailable;
        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.True((await verifier.VerifyAsync(_key.Sign(_time.GetUtcNow(), Body), Body)).IsValid);
        Assert.Equal(2, _jwks.Requests);
    }

    [Fact]
    public void Options_without_a_stream_root_or_jwks_url_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new WebhookSignatureVerifier(new HttpClient(_jwks), new DurableStreamsWebhookOptions()));
        var explicitJwks = new WebhookSignatureVerifier(new HttpClient(_jwks),
            new DurableStreamsWebhookOptions { JwksUrl = new Uri("http://other.test/keys.json") });
        Assert.Equal(new Uri("http://other.test/keys.json"), explicitJwks.JwksUrl);
    }

    public void Dispose()
    {
        _key.Dispose();
        _jwks.Dispose();
    }
}
