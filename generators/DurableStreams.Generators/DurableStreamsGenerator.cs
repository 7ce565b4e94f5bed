using System;
using System.Linq;
using DurableStreams.Generators.Emit;
using DurableStreams.Generators.Model;
using DurableStreams.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DurableStreams.Generators;

/// <summary>
/// Emits a typed stream class for every type marked <c>[DurableStream]</c>, and completes every class marked
/// <c>[DurableState]</c>. This file is wiring only:
/// parsing lives in <see cref="Parsing"/>, emission in <see cref="Emit"/>. Invalid declarations produce
/// nothing here; <see cref="Diagnostics.DurableStreamAnalyzer"/> and
/// <see cref="Diagnostics.DurableStateAnalyzer"/> explain why.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DurableStreamsGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var streams = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.DurableStreamAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (target, cancellationToken) => StreamDeclarationParser.Parse(
                    (INamedTypeSymbol)target.TargetSymbol, target.Attributes[0], target.SemanticModel.Compilation, cancellationToken).Spec)
            .WithTrackingName(TrackingNames.StreamDeclarations)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.ValidStreams);

        // Contexts are collected once per compilation; a stream without a named context uses the first
        // (by name) that lists its message type.
        var contexts = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.JsonSerializableAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (target, cancellationToken) => JsonContextReader.Read(
                    (INamedTypeSymbol)target.TargetSymbol, target.SemanticModel.Compilation, cancellationToken))
            .WithTrackingName(TrackingNames.JsonContexts)
            .Where(static spec => spec is not null)
            .Collect()
            .Select(static (all, _) => all
                .Distinct()
                .OrderBy(static spec => spec!.TypeName, StringComparer.Ordinal)
                .Select(static spec => spec!)
                .ToEquatableArray())
            .WithTrackingName(TrackingNames.JsonContextIndex);

        var streamClasses = streams
            .Combine(contexts)
            .Select(static (pair, _) => JsonContextResolver.Resolve(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.StreamClasses)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!);

        context.RegisterSourceOutput(streamClasses, static (output, spec) =>
            output.AddSource(spec.Stream.HintName, StreamClassEmitter.Emit(spec)));

        var states = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.DurableStateAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (target, cancellationToken) => StateDeclarationParser.Parse(
                    (INamedTypeSymbol)target.TargetSymbol, target.Attributes[0], target.SemanticModel.Compilation, cancellationToken).Spec)
            .WithTrackingName(TrackingNames.StateDeclarations)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.ValidStates);

        // Each entity uses the named context, or else the first (by name) that lists it.
        var stateClasses = states
            .Combine(contexts)
            .Select(static (pair, _) => JsonContextResolver.Resolve(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.StateClasses)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!);

        context.RegisterSourceOutput(stateClasses, static (output, spec) =>
            output.AddSource(spec.State.HintName, StateClassEmitter.Emit(spec)));
    }
}
