namespace RealtimeHead.Server.Bots;

/// <summary>Synthesised speech waiting to be played: complete from the start.</summary>
internal sealed class SpeechUtterance(string id, short[] samples) : VoiceFeed
{
    private readonly Lock _gate = new();
    private int _position;

    public string Id { get; } = id;

    /// <summary>Length of the whole utterance in 48 kHz samples.</summary>
    public int Length => samples.Length;

    public override VoiceSourceKind Kind => VoiceSourceKind.Speech;

    public override int Available
    {
        get
        {
            lock (_gate)
            {
                return samples.Length - _position;
            }
        }
    }

    public override bool IsCompleted => true;

    public override int Read(Span<short> destination)
    {
        lock (_gate)
        {
            var count = Math.Min(destination.Length, samples.Length - _position);
            samples.AsSpan(_position, count).CopyTo(destination);
            _position += count;
            return count;
        }
    }

    public override int Discard()
    {
        lock (_gate)
        {
            var left = samples.Length - _position;
            _position = samples.Length;
            return left;
        }
    }
}
