using System.Numerics;

namespace RealtimeHead.Corpus.Rendering;

/// <summary>A sphere that encloses part of the scene (model frame).</summary>
internal readonly record struct BoundingSphere(Vector3 Centre, float Radius);
