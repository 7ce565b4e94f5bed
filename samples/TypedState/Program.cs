// Typed state: a presence board (members, rooms and a few settings) kept in a State Protocol stream.
// Usage: dotnet run --project samples/TypedState [server-url]
// With no URL it starts the embedded server in process. One instance of the generated Board class writes
// (typed inserts, updates, upserts, deletes and a transaction); another materialises the stream live and prints
// each change; a third resumes from a checkpoint without replaying the stream. It checks that all of them hold
// the state that was written and exits 0, or says what differs and exits 1.
using DurableStreams;
using DurableStreams.Server;
using DurableStreams.State;
using TypedState;

// Never hang: whatever happens, the process ends within a minute.
_ = Task.Run(async () =>
{
    await Task.Delay(TimeSpan.FromSeconds(60));
    Console.WriteLine("FAILED: the sample did not finish within 60 s");
    Environment.Exit(1);
});

await using DurableStreamsServer? server = args.Length == 0 ? await DurableStreamsServer.StartAsync() : null;
var baseAddress = server?.BaseAddress ?? new Uri(args[0]);
Console.WriteLine($"server    {baseAddress}{(server is null ? "" : " (embedded, in process)")}");
using var client = new DurableStreamClient(baseAddress);
var boardName = $"lobby-{Guid.NewGuid():N}"[..14];
var wait = TimeSpan.FromSeconds(10);

// 1. The writer: typed writers on each collection; each write is one transaction with its own txid.
await using var writer = Board.For(client, boardName);
await writer.CreateAsync();
Console.WriteLine($"stream    {Board.UrlFor(boardName)}");

// 2. The reader: materialises the board live (SSE) into typed, read-only collections and prints every change.
await using var reader = Board.For(client, boardName, new DurableStateOptions { Live = LiveMode.Sse });
reader.Members.Changed += (_, e) => Show("member", e);
reader.Rooms.Changed += (_, e) => Show("room", e);
reader.Settings.Changed += (_, e) => Show("setting", e);
using var stop = new CancellationTokenSource();
var reading = reader.RunAsync(stop.Token);
await reader.WhenUpToDate.WaitAsync(wait);

var ada = new Member("ada", "Ada Lovelace", Presence.Online);
await writer.Members.InsertAsync(ada);
await writer.Members.InsertAsync(new Member("grace", "Grace Hopper", Presence.Busy));
await writer.Rooms.InsertAsync(new Room(101, "Analytical engines"));
await writer.Settings.UpsertAsync(new Setting("theme", "dark"));
await writer.Settings.UpsertAsync(new Setting("theme", "light"));   // an upsert of an existing key replaces it

// A transaction: its changes are appended together, in order, under one txid.
var moved = await writer.BeginTransaction()
    .Update(writer.Members, ada with { Presence = Presence.Away, Room = "102" })
    .Insert(writer.Rooms, new Room(102, "Compilers"))
    .Delete(writer.Rooms, 101)
    .CommitAsync();
Console.WriteLine($"written   transaction {moved.TxId} (3 changes)");

// The reader has applied a transaction once AwaitTxIdAsync returns: read-your-writes across instances.
await reader.AwaitTxIdAsync(moved.TxId, wait);
Print("reader", reader);

// 3. A checkpoint: the state and the exact offset it belongs to, saved as bytes and text (a file, a database row).
var checkpoint = reader.TryCreateCheckpoint() ?? throw new InvalidOperationException("no checkpoint outside a snapshot");
byte[] savedSnapshot = checkpoint.Snapshot.ToUtf8Json();
string savedOffset = checkpoint.Offset.ToString();
Console.WriteLine($"saved     checkpoint at offset {savedOffset} ({savedSnapshot.Length} bytes)");

// More writes after the checkpoint.
await writer.Members.DeleteAsync("grace");
await writer.Members.UpsertAsync(new Member("alan", "Alan Turing", Presence.Online, Room: "102"));
var last = await writer.Settings.UpsertAsync(new Setting("motd", "Bonjour, 世界"));
await reader.AwaitTxIdAsync(last.TxId, wait);

// 4. Resume: a new instance (after a restart, say) starts from the checkpoint and reads only what came after it.
var restored = new StateCheckpoint(Offset.Parse(savedOffset), StateSnapshot.Parse(savedSnapshot));
await using var resumed = Board.For(client, boardName, new DurableStateOptions { Checkpoint = restored });
await resumed.CatchUpAsync();
Print("resumed", resumed);

await stop.CancelAsync();
try { await reading; } catch (OperationCanceledException) { }

// 5. Check: the reader and the resumed instance hold exactly what was written.
Member[] members = [ada with { Presence = Presence.Away, Room = "102" }, new("alan", "Alan Turing", Presence.Online, "102")];
Room[] rooms = [new(102, "Compilers")];
Setting[] settings = [new("motd", "Bonjour, 世界"), new("theme", "light")];
var problems = new List<string>();
foreach (var (name, board) in new[] { ("reader", reader), ("resumed", resumed) })
{
    Expect(name, "members", board.Members.Values.OrderBy(m => m.Id, StringComparer.Ordinal), members);
    Expect(name, "rooms", board.Rooms.Values.OrderBy(r => r.Number), rooms);
    Expect(name, "settings", board.Settings.Values.OrderBy(s => s.Name, StringComparer.Ordinal), settings);
}
if (problems.Count > 0)
{
    foreach (var problem in problems) Console.WriteLine($"FAILED: {problem}");
    return 1;
}
Console.WriteLine("ok: the reader and the resumed instance hold the state that was written");
return 0;

void Expect<T>(string who, string what, IEnumerable<T> actual, T[] expected)
{
    var got = actual.ToArray();
    if (!got.SequenceEqual(expected))
        problems.Add($"{who} {what}: [{string.Join(", ", got)}], expected [{string.Join(", ", expected)}]");
}

// Change handlers run on the reading thread, in stream order, once the change is visible.
static void Show<TKey, TEntity>(string type, StateEntityChangedEventArgs<TKey, TEntity> e) where TKey : notnull
{
    foreach (var change in e.Changes)
        Console.WriteLine($"change    {change.Kind,-8} {$"{type}/{change.Key}",-14} {(object?)change.Entity ?? change.PreviousEntity}");
}

static void Print(string who, Board board)
{
    Console.WriteLine($"{who,-9} {board.Members.Count} members, {board.Rooms.Count} rooms, {board.Settings.Count} settings at {board.Position}");
    foreach (var member in board.Members.Values.OrderBy(m => m.Id, StringComparer.Ordinal))
        Console.WriteLine($"{who,-9}   {member.Name} is {member.Presence}{(member.Room is null ? "" : $" in room {member.Room}")}");
}
