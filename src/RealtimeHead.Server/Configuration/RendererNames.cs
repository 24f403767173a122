namespace RealtimeHead.Server.Configuration;

/// <summary>The values of <see cref="ModelOptions.Renderer"/>.</summary>
internal static class RendererNames
{
    /// <summary>The portrait with an audio-driven mouth shade (no model; any machine).</summary>
    public const string Still = "still";

    /// <summary>The S3D-NeRF model.</summary>
    public const string S3DNeRF = "s3d-nerf";

    public static IReadOnlyList<string> All { get; } = [S3DNeRF, Still];

    public static bool IsKnown(string? name) => name is not null && All.Contains(name.ToLowerInvariant());
}
