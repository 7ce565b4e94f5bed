using System.Net;

namespace DurableStreams.Http;

/// <summary>
/// Response content read through a <see cref="BoundedReadStream"/>, whichever way it is consumed
/// (as a stream, or buffered whole): the caller's reading code needs no change to get the bounds.
/// </summary>
internal sealed class BoundedResponseContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly BodyLimits _limits;

    public BoundedResponseContent(HttpContent inner, BodyLimits limits)
    {
        _inner = inner;
        _limits = limits;
        foreach (var (name, values) in inner.Headers) Headers.TryAddWithoutValidation(name, values);
    }

    /// <summary>
    /// Wraps a successful read response's body, or throws <see cref="ResponseTooLargeException"/> (and
    /// disposes the response) when its declared length is already over the limit.
    /// </summary>
    public static HttpResponseMessage Wrap(HttpResponseMessage response, BodyLimits limits)
    {
        if (response.Content.Headers.ContentLength > limits.MaxBytes)
        {
            response.Dispose();
            throw limits.TooLarge();
        }
        response.Content = new BoundedResponseContent(response.Content, limits);
        return response;
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new BoundedReadStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _limits);

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var body = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
            await body.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    // The length header was copied from the inner content; nothing to compute.
    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
