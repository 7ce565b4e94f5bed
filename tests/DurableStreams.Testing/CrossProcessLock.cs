namespace DurableStreams.Testing;

/// <summary>
/// An exclusive lock shared by every process on the machine, held by keeping a lock file open
/// without sharing (an flock on Unix). Used so that two test processes never run <c>npm ci</c> into the same folder at once.
/// </summary>
internal sealed class CrossProcessLock : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(200);

    private readonly FileStream _handle;

    private CrossProcessLock(FileStream handle) => _handle = handle;

    public static async Task<CrossProcessLock> AcquireAsync(string lockFilePath, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                // The file is never deleted: deleting on release would let a waiter lock the
                // unlinked file while a newcomer locks a fresh one, and both would proceed.
                var handle = new FileStream(lockFilePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return new CrossProcessLock(handle);
            }
            catch (IOException)
            {
                // Another process holds it; its install finishes (or dies, releasing the file) eventually.
                await Task.Delay(RetryInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
