using System.Net;

namespace DurableStreams.Tests.Support;

/// <summary>
/// Answers successive requests from a list of responses (the last one repeats), counting attempts.
/// For retry tests where only the order of outcomes matters.
/// </summary>
internal sealed class SequenceServer
{
    private readonly Func<RecordedRequest, HttpResponseMessage>[] _responses;
    private int _next = -1;

    public SequenceServer(params Func<RecordedRequest, HttpResponseMessage>[] responses)
    {
        _responses = responses;
        Handler = new FakeHttpHandler(request =>
        {
            var i = Interlocked.Increment(ref _next);
            return _responses[Math.Min(i, _responses.Length - 1)](request);
        });
    }

    public FakeHttpHandler Handler { get; }

    public static Func<RecordedRequest, HttpResponseMessage> Fail(int status, string? retryAfter = null) =>
        _ => retryAfter is null
            ? Respond.Status((HttpStatusCode)status, $"status {status}")
            : Respond.Status((HttpStatusCode)status, $"status {status}", ("Retry-After", retryAfter));

    /// <summary>A HEAD/append/read success: 200 with an empty octet-stream body at offset 1_0.</summary>
    public static Func<RecordedRequest, HttpResponseMessage> Ok =>
        r => r.IsPost ? Respond.Appended("1_0") : Respond.Read("", "application/octet-stream", "1_0");
}
