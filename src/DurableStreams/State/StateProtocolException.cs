namespace DurableStreams.State;

/// <summary>Why a State Protocol message was rejected.</summary>
public enum StateErrorReason
{
    /// <summary>
    /// The message is not a valid State Protocol message: not a JSON object, no <c>headers</c>, a required field
    /// missing, empty or of the wrong JSON type, both or neither of <c>operation</c> and <c>control</c>, an empty
    /// <c>txid</c> or <c>offset</c>, a <c>timestamp</c> that is not RFC 3339, or no <c>value</c> on an insert,
    /// update or upsert.
    /// </summary>
    MalformedMessage,

    /// <summary><c>headers.operation</c> is not <c>insert</c>, <c>update</c>, <c>upsert</c> or <c>delete</c>.</summary>
    UnknownOperation,

    /// <summary><c>headers.control</c> is not <c>snapshot-start</c>, <c>snapshot-end</c> or <c>reset</c>.</summary>
    UnknownControl,

    /// <summary>
    /// Typed state (<see cref="DurableState"/>): a change's <c>value</c> does not decode into the collection's entity type
    /// (the JSON serializer failed, or the value is JSON <c>null</c>).
    /// </summary>
    SchemaMismatch,

    /// <summary>
    /// Typed state (<see cref="DurableState"/>): a change's <c>type</c> is not one the state declares a collection for
    /// (unless <see cref="DurableStateOptions.IgnoreUnknownTypes"/> is set).
    /// </summary>
    UnknownType,

    /// <summary>
    /// Typed state (<see cref="DurableState"/>): a change's <c>key</c> is not the canonical text of the collection's key
    /// type (for example <c>"x"</c> or <c>"07"</c> for an <see cref="int"/> key, or a <see cref="Guid"/> not in <c>"D"</c> format).
    /// </summary>
    InvalidKey,

    /// <summary>
    /// Typed state (<see cref="DurableState"/>): the key of the decoded entity differs from the change's <c>key</c>.
    /// </summary>
    KeyMismatch,

    /// <summary>
    /// A <c>delete</c> of a key the view does not hold (unless <see cref="StateView.IgnoreDeletesOfMissingKeys"/> or
    /// <see cref="DurableStateOptions.IgnoreDeletesOfMissingKeys"/> is set).
    /// </summary>
    MissingKey,
}

/// <summary>
/// A State Protocol message was rejected. Nothing of it was applied: a <see cref="StateView"/> is exactly as it was
/// before the message (apply is all-or-nothing per message).
/// </summary>
public sealed class StateProtocolException : DurableStreamException
{
    /// <summary>Creates the exception.</summary>
    public StateProtocolException(string message, StateErrorReason reason, string? entityType = null, string? key = null,
        Exception? innerException = null)
        : base(message, DurableStreamErrorCode.StateMessageRejected, innerException: innerException)
    {
        Reason = reason;
        EntityType = entityType;
        Key = key;
    }

    /// <summary>Why the message was rejected.</summary>
    public StateErrorReason Reason { get; }

    /// <summary>The message's entity <c>type</c>, when it had one.</summary>
    public string? EntityType { get; }

    /// <summary>The message's entity <c>key</c>, when it had one.</summary>
    public string? Key { get; }

    /// <summary>
    /// For <see cref="StateView.Apply(System.Text.Json.JsonElement)"/> given a JSON array: the zero-based index of the
    /// rejected message (the messages before it were applied, the ones after it were not); otherwise <see langword="null"/>.
    /// </summary>
    public int? MessageIndex { get; internal set; }
}
