using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using DurableStreams.Http;

namespace DurableStreams.State;

/// <summary>
/// The typed state of one State Protocol stream: one <see cref="StateEntityCollection{TKey, TEntity}"/> per entity type,
/// materialised by reading the stream (<see cref="RunAsync(CancellationToken)"/>) and written through typed writers and
/// transactions (<see cref="BeginTransaction"/>). The classes the DurableStreams generator emits for
/// <see cref="DurableStateAttribute"/> derive from it.
/// </summary>
/// <remarks>
/// <para>It sits on the untyped core: the stream is read by a <see cref="StateReader"/> into <see cref="View"/>, whose
/// rules hold for the typed collections too. Each change is decoded once, when it is applied; a change that does not
/// decode (<see cref="StateErrorReason.SchemaMismatch"/>), whose key does not parse or disagrees with the entity
/// (<see cref="StateErrorReason.InvalidKey"/>, <see cref="StateErrorReason.KeyMismatch"/>), or whose type has no
/// collection (<see cref="StateErrorReason.UnknownType"/>, unless <see cref="DurableStateOptions.IgnoreUnknownTypes"/>) is
/// rejected like any other bad message: nothing of it is applied and the run ends with <see cref="StateProtocolException"/>.</para>
/// <para>One run reads at a time; any thread may read the collections, which always show one consistent state.</para>
/// </remarks>
public abstract partial class DurableState : IAsyncDisposable
{
    private readonly TypedState _typed;

    /// <summary>The state of <paramref name="stream"/> (a JSON stream), configured by <paramref name="options"/>.</summary>
    /// <param name="stream">The stream of state messages.</param>
    /// <param name="options">How to read and write it; null for the defaults.</param>
    protected DurableState(DurableStream stream, DurableStateOptions? options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new DurableStateOptions();
        Stream = stream;
        Live = options.Live;
        _typed = new TypedState(options.IgnoreUnknownTypes);
        View = new StateView(options.Checkpoint?.Snapshot, _typed) { IgnoreDeletesOfMissingKeys = options.IgnoreDeletesOfMissingKeys };
        _reader = new StateReader(stream, View, options.Checkpoint?.Offset ?? Offset.Beginning, Live);
        if (options.Producer is { } producerOptions)
        {
            _producer = stream.CreateProducer(producerOptions);
            _writer = new StateWriter(_producer);
        }
        else
        {
            _writer = new StateWriter(stream);
        }
    }

    /// <summary>The stream, for what the typed surface does not cover (headers, forks, raw reads).</summary>
    public DurableStream Stream { get; }

    /// <summary>
    /// The untyped view the stream is materialised into: every entity as raw JSON (including ignored types), applied
    /// transaction ids, <see cref="StateView.Changed"/>. Messages applied to it directly update the typed collections too.
    /// </summary>
    public StateView View { get; }

    /// <summary>How <see cref="RunAsync(CancellationToken)"/> follows the stream once caught up.</summary>
    public LiveMode Live { get; }

    /// <summary>
    /// Registers the collection of entity type <paramref name="type"/>; call it from the constructor only (the generated
    /// constructor calls it once per declared collection).
    /// </summary>
    /// <param name="type">The protocol <c>type</c> of the entities.</param>
    /// <param name="context">The source-generated JSON context holding <typeparamref name="TEntity"/>'s metadata.</param>
    /// <param name="keyOf">Reads an entity's primary key.</param>
    /// <exception cref="InvalidOperationException">The type is registered twice, the context has no metadata for
    /// <typeparamref name="TEntity"/>, or the state has already been read or written.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="TKey"/> is not a supported key type.</exception>
    /// <exception cref="StateProtocolException">An entity of the checkpoint the state resumes from does not decode.</exception>
    protected StateEntityCollection<TKey, TEntity> Register<TKey, TEntity>(string type, JsonSerializerContext context, Func<TEntity, TKey> keyOf)
        where TKey : notnull
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(keyOf);
        if (!StateKeyFormat<TKey>.IsSupported)
            throw new NotSupportedException(
                $"{typeof(TKey).Name} is not a supported state key type (string, Guid, int, long, short, byte, sbyte, ushort, uint, ulong).");
        JsonTypeInfo<TEntity> typeInfo = context.GetTypeInfo(typeof(TEntity)) as JsonTypeInfo<TEntity>
            ?? throw new InvalidOperationException(
                $"{context.GetType().FullName} has no JSON metadata for {typeof(TEntity).FullName}; add [JsonSerializable(typeof({typeof(TEntity).Name}))] to it.");
        var collection = new StateEntityCollection<TKey, TEntity>(this, _typed, type, typeInfo, keyOf);
        // Entities of a restored checkpoint are decoded now, under the same rules as changes read later.
        object initial = ((IEntityCollection)collection).Load(View.Collection(type));
        collection.Index = _typed.Add(collection, initial);
        return collection;
    }

    /// <summary>An untyped handle on <paramref name="url"/>, known to be JSON so the first append needs no HEAD.</summary>
    protected static DurableStream GetJsonStream(DurableStreamClient client, string url)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.GetStream(url, ProtocolNames.JsonMediaType);
    }

    /// <summary>Checks with HEAD that the state's stream exists, then returns the state.</summary>
    /// <exception cref="StreamNotFoundException">The stream does not exist.</exception>
    protected static async Task<TState> VerifyExistsAsync<TState>(TState state, CancellationToken cancellationToken)
        where TState : DurableState
    {
        ArgumentNullException.ThrowIfNull(state);
        await state.Stream.HeadAsync(cancellationToken).ConfigureAwait(false);
        return state;
    }

    /// <summary>
    /// Creates the stream as a JSON stream. Idempotent: succeeds with <see cref="CreateStreamResult.Created"/> false when
    /// an identical stream exists.
    /// </summary>
    public Task<CreateStreamResult> CreateAsync(CancellationToken cancellationToken = default) =>
        CreateAsync(new CreateStreamOptions(), cancellationToken);

    /// <summary>Creates the stream with <paramref name="options"/>; the content type must be JSON and defaults to it.</summary>
    /// <exception cref="ArgumentException">The options name a content type that is not JSON.</exception>
    public Task<CreateStreamResult> CreateAsync(CreateStreamOptions options, CancellationToken cancellationToken = default) =>
        new DurableStream<JsonElement>(Stream, StateJsonContext.Default.JsonElement).CreateAsync(options, cancellationToken);
}
