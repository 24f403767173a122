namespace RealtimeHead.Corpus.Animation;

/// <summary>
/// Rigid head pose in the real (camera-fixed) world: yaw, pitch, roll in radians about the neck pivot, then a
/// translation. Yaw turns the face to the image right, pitch nods the chin down, roll tilts clockwise in the image.
/// </summary>
internal readonly record struct HeadPose(double Yaw, double Pitch, double Roll, double X, double Y, double Z);
