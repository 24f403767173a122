using RealtimeHead.Rendering;

namespace RealtimeHead.Cli.Render;

/// <summary>Which model <c>realtimehead render</c> was asked for.</summary>
/// <param name="Preset">The <c>--preset</c> given, or null (the checkpoint's own config, else the default preset).</param>
/// <param name="CheckpointDirectory">The <c>--checkpoint</c> given, or null (the bundled default model).</param>
internal sealed record RenderModelRequest(string? Preset, string? CheckpointDirectory);

/// <summary>A loaded model.</summary>
/// <param name="Renderer">The renderer; the command disposes it.</param>
/// <param name="Description">One line for the summary ("S3D-NeRF tiny, 128x128").</param>
/// <param name="Notice">A warning to print before rendering (an untrained model), or null.</param>
internal sealed record RenderModel(ITalkingHeadRenderer Renderer, string Description, string? Notice);

/// <summary>Loads the model of a request; throws <see cref="RenderInputException"/> for a bad checkpoint or preset.</summary>
internal delegate RenderModel RenderModelFactory(RenderModelRequest request);
