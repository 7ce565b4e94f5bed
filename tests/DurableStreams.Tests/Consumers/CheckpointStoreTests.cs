using DurableStreams.Consumers;
using DurableStreams.Tests.Integration;

namespace DurableStreams.Tests.Consumers;

/// <summary>Each checkpoint store saves and loads exact positions per key, and refuses sentinels.</summary>
public sealed class CheckpointStoreTests(ReferenceServerFixture fixture) : IClassFixture<ReferenceServerFixture>, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ds-checkpoints-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    public static TheoryData<string> Stores => ["memory", "file", "stream"];

    private ICheckpointStore Create(string kind, DurableStreamClient client, string streamPath) => kind switch
    {
        "memory" => new InMemoryCheckpointStore(),
        "file" => new FileCheckpointStore(_directory),
        "stream" => new StreamCheckpointStore(client, streamPath),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Saves_and_loads_exact_positions_per_consumer_and_stream(string kind)
    {
        using var client = fixture.CreateClient();
        var store = Create(kind, client, ReferenceServerFixture.NewPath("checkpoints"));

        Assert.Null(await store.LoadAsync("billing", "orders/eu"));
        await store.SaveAsync("billing", "orders/eu", new Offset("0000_0010", 3));
        await store.SaveAsync("billing", "orders/us", new Offset("0000_0020"));
        await store.SaveAsync("audit", "orders/eu", Offset.Parse("-1,2"));
        await store.SaveAsync("billing", "orders/eu", new Offset("0000_0030", 1)); // the last save wins

        Assert.Equal(new Offset("0000_0030", 1), await store.LoadAsync("billing", "orders/eu"));
        Assert.Equal(new Offset("0000_0020"), await store.LoadAsync("billing", "orders/us"));
        Assert.Equal(new Offset("-1", 2), await store.LoadAsync("audit", "orders/eu"));
        Assert.Null(await store.LoadAsync("audit", "orders/us"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Refuses_sentinels_as_checkpoints(string kind)
    {
        using var client = fixture.CreateClient();
        var store = Create(kind, client, ReferenceServerFixture.NewPath("checkpoints"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SaveAsync("c", "s", Offset.Beginning));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.SaveAsync("c", "s", Offset.Now));
        Assert.Null(await store.LoadAsync("c", "s"));
    }

    [Fact]
    public async Task Stream_store_is_shared_by_every_instance_on_the_stream()
    {
        using var client = fixture.CreateClient();
        var path = ReferenceServerFixture.NewPath("checkpoints");
        var first = new StreamCheckpointStore(client, path);
        var second = new StreamCheckpointStore(client, path);

        await first.SaveAsync("c", "s", new Offset("0000_0001", 4));
        Assert.Equal(new Offset("0000_0001", 4), await second.LoadAsync("c", "s"));
        await second.SaveAsync("c", "s", new Offset("0000_0009"));
        // The first instance read up to its earlier load point before: it must read on and see the newer record.
        Assert.Equal(new Offset("0000_0009"), await first.LoadAsync("c", "s"));
        Assert.Equal(new Offset("0000_0009"), await new StreamCheckpointStore(client, path).LoadAsync("c", "s"));
    }

    [Fact]
    public async Task File_store_uses_one_safe_file_per_key_and_leaves_no_temporary_files()
    {
        var store = new FileCheckpointStore(_directory);
        string[] names = ["a/b", "a\\b", "a:b", "..", "con", "A/B", new string('x', 500), "ünïcødé/流"];
        foreach (var name in names)
            await store.SaveAsync(name, name + "/stream?x=1", new Offset("tok", names.Length));
        foreach (var name in names)
            await store.SaveAsync(name, name + "/stream?x=1", new Offset("tok-" + name.Length));

        foreach (var name in names)
        {
            Assert.Equal(new Offset("tok-" + name.Length), await store.LoadAsync(name, name + "/stream?x=1"));
            var file = store.PathFor(name, name + "/stream?x=1");
            Assert.Equal(_directory, Path.GetDirectoryName(file));
            Assert.True(Path.GetFileName(file).Length < 120, file);
        }
        var files = Directory.GetFiles(_directory);
        Assert.Equal(names.Length, files.Length); // distinct keys never share a file (a/b, a\b, a:b and A/B included)
        Assert.All(files, f => Assert.EndsWith(".checkpoint", f));
    }
}
