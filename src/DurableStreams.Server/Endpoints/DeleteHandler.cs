using DurableStreams.Server.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DurableStreams.Server.Endpoints;

/// <summary>DELETE: removes the stream, or soft-deletes it while forks still read its data (§5.4).</summary>
internal sealed class DeleteHandler(IStreamStore store, ILogger<DeleteHandler> logger)
{
    public Task HandleAsync(HttpContext context, string path)
    {
        var response = context.Response;
        switch (store.Delete(path))
        {
            case DeleteStatus.Deleted:
                Log.StreamDeleted(logger, path);
                return HttpResults.Empty(response, StatusCodes.Status204NoContent);
            case DeleteStatus.Gone:
                return HttpResults.Error(response, StatusCodes.Status410Gone, "Stream is gone");
            default:
                return HttpResults.Error(response, StatusCodes.Status404NotFound, "Stream not found");
        }
    }
}
