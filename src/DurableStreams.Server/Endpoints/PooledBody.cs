using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace DurableStreams.Server.Endpoints;

/// <summary>
/// A request body read into a buffer rented from the shared pool, for a JSON append: the store keeps only the
/// flattened copy it makes, so the buffer goes back to the pool after the append instead of being a new large array
/// per request (most producer batches are over 85 KB: large-object-heap garbage, and fresh pages to fault in).
/// </summary>
internal sealed class PooledBody : IDisposable
{
    private byte[]? _buffer;

    private PooledBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>The body; null without a Content-Length or with one over <paramref name="limit"/> (read those with <see cref="HttpResults.ReadBodyAsync"/>).</summary>
    public static async Task<PooledBody?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is not { } length || length > limit || length > Array.MaxLength) return null;
        var buffer = ArrayPool<byte>.Shared.Rent((int)length);
        var body = new PooledBody(buffer, (int)length);
        try
        {
            var filled = 0;
            while (filled < length)
            {
                var n = await request.Body.ReadAsync(buffer.AsMemory(filled, (int)length - filled), cancellationToken).ConfigureAwait(false);
                // Kestrel ends a short body with an error, so a short read here is defensive only.
                if (n == 0) break;
                filled += n;
            }
            body.Length = filled;
            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_buffer is { } buffer) ArrayPool<byte>.Shared.Return(buffer);
        _buffer = null;
    }
}
