using DurableStreams.Server.Subscriptions;

namespace DurableStreams.Server.Tests.Subscriptions;

/// <summary>Glob matching (§6.2) and the webhook URL policy (§6.2, §12.8).</summary>
public sealed class SubscriptionRuleTests
{
    [Theory]
    [InlineData("events/*", "events/a", true)]
    [InlineData("events/*", "events/a/b", false)]
    [InlineData("events/*", "events", false)]
    [InlineData("events/**", "events", true)]
    [InlineData("events/**", "events/a/b/c", true)]
    [InlineData("**/orders", "orders", true)]
    [InlineData("**/orders", "eu/shop/orders", true)]
    [InlineData("a/*/c", "a/b/c", true)]
    [InlineData("a/*/c", "a/b/d", false)]
    [InlineData("a/**/c", "a/c", true)]
    [InlineData("a/**/c", "a/x/y/c", true)]
    [InlineData("a/**/c", "a/x/y/d", false)]
    [InlineData("events/a", "events/ab", false)]
    public void Globs_match_by_segment(string pattern, string path, bool expected) =>
        Assert.Equal(expected, GlobPattern.Matches(pattern, path));

    [Theory]
    [InlineData("https://hooks.example.com/x", false, true)]
    [InlineData("http://hooks.example.com/x", false, false)]
    [InlineData("http://127.0.0.1:9000/hook", false, false)]
    [InlineData("http://127.0.0.1:9000/hook", true, true)]
    [InlineData("http://localhost/hook", true, true)]
    [InlineData("http://127.0.1.1/hook", true, false)]
    [InlineData("http://10.0.0.1/hook", true, false)]
    [InlineData("https://10.0.0.1/hook", true, false)]
    [InlineData("https://192.168.1.5/hook", false, false)]
    [InlineData("https://172.16.0.1/hook", false, false)]
    [InlineData("https://169.254.169.254/latest", false, false)]
    [InlineData("https://[::1]/hook", true, false)]
    [InlineData("https://[fd00::1]/hook", false, false)]
    [InlineData("ftp://hooks.example.com/x", true, false)]
    [InlineData("not a url", true, false)]
    public void Webhook_urls_are_checked(string url, bool allowLocalhost, bool accepted) =>
        Assert.Equal(accepted, WebhookUrlPolicy.Reject(url, allowLocalhost) is null);
}
