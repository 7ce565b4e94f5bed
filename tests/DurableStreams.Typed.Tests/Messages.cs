using System.Text.Json.Serialization;

namespace DurableStreams.Typed.Tests;

// The message types the end-to-end tests stream. Each shape the generator supports appears once.

/// <summary>A record class with two placeholders; its context is discovered.</summary>
[DurableStream("typed/orders/{tenant}/{run}")]
public sealed record OrderPlaced(string OrderId, decimal Total, DateTimeOffset At);

/// <summary>A record struct.</summary>
[DurableStream("typed/temperatures/{sensor}")]
public readonly record struct Temperature(string Sensor, double Celsius);

/// <summary>A polymorphic base record: one stream carries every subtype.</summary>
[DurableStream("typed/carts/{cartId}")]
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ItemAdded), "added")]
[JsonDerivedType(typeof(ItemRemoved), "removed")]
[JsonDerivedType(typeof(CartCheckedOut), "checkedOut")]
public abstract record CartEvent(string CartId);

public sealed record ItemAdded(string CartId, string Sku, int Quantity) : CartEvent(CartId);

public sealed record ItemRemoved(string CartId, string Sku) : CartEvent(CartId);

public sealed record CartCheckedOut(string CartId, decimal Total) : CartEvent(CartId);

/// <summary>A plain class whose context is named, with its own naming policy.</summary>
[DurableStream("typed/audit/{id}", JsonContext = typeof(AuditJson))]
public sealed class AuditEntry
{
    public required string Actor { get; init; }
    public required string Action { get; init; }

    public override bool Equals(object? obj) => obj is AuditEntry other && other.Actor == Actor && other.Action == Action;

    public override int GetHashCode() => HashCode.Combine(Actor, Action);
}

[JsonSerializable(typeof(OrderPlaced))]
[JsonSerializable(typeof(Temperature))]
[JsonSerializable(typeof(CartEvent))]
internal sealed partial class TestJson : JsonSerializerContext;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AuditEntry))]
internal sealed partial class AuditJson : JsonSerializerContext;
