using System.Runtime.ExceptionServices;

namespace DurableStreams.Reading;

internal sealed partial class ReadSession
{
    /// <summary>
    /// One catch-up or long-poll request. An answer whose body breaks while it is checked (before any of it is
    /// used, <see cref="CheckNonAdvancingAsync"/>) is fetched again with backoff, as a body that breaks while
    /// it is decoded is: none of it reached the caller, so nothing is lost or delivered twice.
    /// </summary>
    private async ValueTask<ReadBatch> HttpReadAsync(string? live, CancellationToken cancellationToken)
    {
        for (var failures = 0; ; failures++)
        {
            try
            {
                return await HttpReadOnceAsync(live, cancellationToken).ConfigureAwait(false);
            }
            catch (BodyCheckBroken broken)
            {
                if (failures >= Retry.MaxRetries || cancellationToken.IsCancellationRequested) ExceptionDispatchInfo.Throw(broken.Network);
                await Task.Delay(Retry.Backoff(failures, Random.Shared), Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask CheckNonAdvancingAsync(HttpResponseMessage response, string asked, CancellationToken cancellationToken)
    {
        try
        {
            await ReadResponseCheck.NonAdvancingAsync(response, _url, asked, IsJson, _http.Logger, cancellationToken).ConfigureAwait(false);
        }
        catch (DurableStreamNetworkException network)
        {
            throw new BodyCheckBroken(network);
        }
    }

    /// <summary>The network broke the body of an answer while it was being checked: the request may be repeated.</summary>
    private sealed class BodyCheckBroken(DurableStreamNetworkException network) : Exception(network.Message, network)
    {
        public DurableStreamNetworkException Network { get; } = network;
    }
}
