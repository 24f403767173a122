namespace RealtimeHead.Corpus.Animation;

/// <summary>Everything that changes per frame: mouth, eyelid closure (0 open, 1 shut), gaze offset and head pose.</summary>
internal readonly record struct FaceState(MouthShape Mouth, double Blink, double GazeX, double GazeY, HeadPose Pose);
