using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RealtimeHead.Media;

namespace RealtimeHead.Server.Bots;

/// <summary>
/// The session's voice source, in front of the pipeline: an <see cref="IPeerMediaSession"/> decorator whose
/// <see cref="InboundAudio"/> is the WebRTC microphone, or, while pushed or spoken audio is queued, that audio paced
/// in real time. Pushed audio therefore enters the pipeline exactly where decoded microphone audio does, and the
/// lips and the outgoing voice follow it with the same A/V sync as the microphone's.
/// <para>
/// Pacing: a 20 ms frame at media position <c>p</c> is handed over when <c>p + 960</c> has been "captured" on this
/// session's clock (its start plus the media time), so the pipeline sees it arrive as a live microphone frame would;
/// a feed that arrives ahead of real time waits in its <see cref="VoiceFeed"/>. Positions are contiguous while a feed
/// plays and never go back: a new run starts at the later of "now" and the end of the last frame. Microphone frames
/// are ignored (counted) while any feed is queued or playing, and those that would overlap the pushed audio after it.
/// </para>
/// Sending, keyframe requests, bitrate and completion pass through to the wrapped peer, which this type does not own.
/// </summary>
internal sealed partial class VoiceSourcePeer : IPeerMediaSession
{
    /// <summary>20 ms at 48 kHz: the frame size of pushed audio, as Opus frames the microphone.</summary>
    public const int FrameSamples = MediaClock.SampleRate / 50;

    private readonly IPeerMediaSession _inner;
    private readonly BotOptions _options;
    private readonly TimeProvider _time;
    private readonly BotMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<AudioFrame> _output;
    private readonly Lock _gate = new();
    private readonly LinkedList<VoiceFeed> _feeds = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly long _start;
    private readonly int _prebufferSamples;
    private readonly string _logName;
    private Task _tasks = Task.CompletedTask;
    private PushAudioStream? _openPush;
    private VoiceSourceKind _playing = VoiceSourceKind.Microphone;
    private long _next;
    private long _micIgnored;
    private long _framesPlayed;
    private long _underruns;
    private string? _endReason;
    private int _state; // 0 new, 1 running, 2 disposed

    /// <param name="inner">The WebRTC peer (not owned).</param>
    /// <param name="options">Buffer and prebuffer sizes, queue limits.</param>
    /// <param name="time">Clock of the pacing.</param>
    /// <param name="metrics">Bot instruments.</param>
    /// <param name="logger">Log sink.</param>
    /// <param name="sessionName">The server's session id, for logs (default: the peer's).</param>
    public VoiceSourcePeer(IPeerMediaSession inner, BotOptions options, TimeProvider time, BotMetrics metrics, ILogger<VoiceSourcePeer> logger,
        string? sessionName = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        _inner = inner;
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _start = time.GetTimestamp();
        _logName = sessionName ?? inner.SessionId;
        _prebufferSamples = Math.Max(FrameSamples, (int)MediaClock.FromTimeSpan(options.PushPrebuffer));

        // The pipeline reads at once; if it ever stalls, the oldest frame goes, as the peer's own inbound queue does.
        _output = Channel.CreateBounded<AudioFrame>(
            new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped => _metrics.Discarded("pipeline_behind", dropped.Samples.Length / Math.Max(1, dropped.Channels)));
    }

    public string SessionId => _inner.SessionId;

    /// <summary>The microphone, or the pushed/spoken audio while it plays: 48 kHz mono frames, in order, never overlapping.</summary>
    public ChannelReader<AudioFrame> InboundAudio => _output.Reader;

    public Task Completion => _inner.Completion;

    public event Action? KeyframeRequested
    {
        add => _inner.KeyframeRequested += value;
        remove => _inner.KeyframeRequested -= value;
    }

    public event Action<int>? TargetBitrateChanged
    {
        add => _inner.TargetBitrateChanged += value;
        remove => _inner.TargetBitrateChanged -= value;
    }

    /// <summary>What drives the face now: the microphone unless pushed or spoken audio is queued or playing.</summary>
    public VoiceSourceKind Source
    {
        get
        {
            lock (_gate)
            {
                return _feeds.First is { } first ? first.Value.Kind : _playing;
            }
        }
    }

    /// <summary>Cancelled when the session ends: push sockets close with <see cref="EndReason"/>.</summary>
    public CancellationToken Ended => _lifetime.Token;

    /// <summary>Why the session ended (a <c>SessionCloseReason</c>), once it has.</summary>
    public string? EndReason => Volatile.Read(ref _endReason);

    /// <summary>Microphone frames ignored because pushed or spoken audio had the voice.</summary>
    public long MicFramesIgnored => Interlocked.Read(ref _micIgnored);

    /// <summary>Pushed or spoken 20 ms frames handed to the pipeline.</summary>
    public long FramesPlayed => Interlocked.Read(ref _framesPlayed);

    /// <summary>Times an open push stream ran dry while playing.</summary>
    public long Underruns => Interlocked.Read(ref _underruns);

    /// <summary>Diagnostics tap: every audio frame the pipeline sends to the peer (the delayed outgoing voice).</summary>
    internal event Action<AudioFrame>? AudioSent;

    /// <summary>Starts reading the microphone and pacing the feeds.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The voice source was already started or disposed.");
        }

        _tasks = Task.WhenAll(Task.Run(ForwardMicrophoneAsync), Task.Run(PaceAsync));
    }

    /// <summary>
    /// Opens the session's push stream (one at a time; it plays after any speech already queued). False with the reason
    /// when another push is open or the session has ended.
    /// </summary>
    public bool TryOpenPush(out PushAudioStream? stream, out string? problem)
    {
        lock (_gate)
        {
            stream = null;
            if (Volatile.Read(ref _state) == 2 || _lifetime.IsCancellationRequested)
            {
                problem = "The session has ended.";
                return false;
            }

            if (_openPush is not null)
            {
                problem = "Another push WebSocket is feeding this session; close it first.";
                return false;
            }

            var capacity = (int)MediaClock.FromTimeSpan(_options.MaxBufferedAudio);
            stream = new PushAudioStream(capacity, Wake);
            _openPush = stream;
            _feeds.AddLast(stream);
            problem = null;
        }

        Wake();
        Log.PushOpened(_logger, _logName);
        return true;
    }

    /// <summary>The push socket closed: its buffered audio still plays, then the session returns to the microphone.</summary>
    public void ClosePush(PushAudioStream stream, long samplesReceived)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Complete();
        lock (_gate)
        {
            if (ReferenceEquals(_openPush, stream))
            {
                _openPush = null;
            }
        }

        Log.PushClosed(_logger, _logName, samplesReceived / (double)MediaClock.SampleRate, stream.Available / (double)MediaClock.SampleRate);
    }

    /// <summary>
    /// Queues an utterance. Refused (false, with a code) while a push stream is open (<c>voice_busy</c>) or when
    /// <see cref="BotOptions.MaxQueuedUtterances"/> are queued (<c>speech_queue_full</c>). <paramref name="aheadSamples"/>
    /// is the audio queued before it.
    /// </summary>
    public bool TryEnqueueSpeech(SpeechUtterance utterance, out long aheadSamples, out string? code)
    {
        ArgumentNullException.ThrowIfNull(utterance);
        lock (_gate)
        {
            aheadSamples = 0;
            if (Volatile.Read(ref _state) == 2 || _lifetime.IsCancellationRequested)
            {
                code = BotErrorCode.SessionNotReady;
                return false;
            }

            if (_openPush is not null)
            {
                code = BotErrorCode.VoiceBusy;
                return false;
            }

            if (_feeds.Count(f => f.Kind == VoiceSourceKind.Speech) >= _options.MaxQueuedUtterances)
            {
                code = BotErrorCode.SpeechQueueFull;
                return false;
            }

            foreach (var feed in _feeds)
            {
                aheadSamples += feed.Available;
            }

            _feeds.AddLast(utterance);
            code = null;
        }

        Wake();
        return true;
    }

    /// <summary>
    /// Barge-in: drops every queued utterance and empties (keeps open) the push stream; the microphone takes over.
    /// Returns the samples dropped.
    /// </summary>
    public int Interrupt() => DiscardAll("barge_in", keepOpenPush: true);

    /// <summary>Marks the session ended: push sockets close with <paramref name="reason"/>, queued audio is dropped.</summary>
    public void End(string reason)
    {
        Interlocked.CompareExchange(ref _endReason, reason, null);
        DiscardAll("session_ended", keepOpenPush: false);
        _lifetime.Cancel();
    }

    public ValueTask SendVideoAsync(VideoFrame frame, CancellationToken cancellationToken = default) =>
        _inner.SendVideoAsync(frame, cancellationToken);

    public ValueTask SendAudioAsync(AudioFrame frame, CancellationToken cancellationToken = default)
    {
        AudioSent?.Invoke(frame);
        return _inner.SendAudioAsync(frame, cancellationToken);
    }

    /// <summary>Stops the microphone reader and the pacer; the wrapped peer stays open (its owner disposes it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }

        End("disposed");
        try
        {
            await _tasks.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _output.Writer.TryComplete();
    }

    private int DiscardAll(string reason, bool keepOpenPush)
    {
        var dropped = 0;
        lock (_gate)
        {
            var node = _feeds.First;
            while (node is not null)
            {
                var next = node.Next;
                dropped += node.Value.Discard();
                if (!(keepOpenPush && ReferenceEquals(node.Value, _openPush)))
                {
                    _feeds.Remove(node);
                }

                node = next;
            }

            if (!keepOpenPush)
            {
                _openPush?.Complete();
                _openPush = null;
            }

            if (_feeds.Count == 0)
            {
                _playing = VoiceSourceKind.Microphone;
            }
        }

        _metrics.Discarded(reason, dropped);
        Wake();
        return dropped;
    }

    private async Task ForwardMicrophoneAsync()
    {
        var token = _lifetime.Token;
        try
        {
            while (await _inner.InboundAudio.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (_inner.InboundAudio.TryRead(out var frame))
                {
                    lock (_gate)
                    {
                        // The pushed voice has the session, or this frame would overlap what it played.
                        if (_feeds.Count > 0 || _playing != VoiceSourceKind.Microphone || frame.MediaTimestamp < _next)
                        {
                            Interlocked.Increment(ref _micIgnored);
                            _metrics.MicIgnored();
                            continue;
                        }

                        _next = frame.MediaTimestamp + frame.SampleCount;
                        _output.Writer.TryWrite(frame);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task PaceAsync()
    {
        var token = _lifetime.Token;
        var running = false;
        long position = 0;
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (!running)
                {
                    if (!HeadIsReady())
                    {
                        await _wake.WaitAsync(token).ConfigureAwait(false);
                        continue;
                    }

                    lock (_gate)
                    {
                        // A new run: its first frame is due now, and it never goes back before what was already sent.
                        position = Math.Max(_next, MediaNow() - FrameSamples);
                    }

                    running = true;
                }

                if (!HasFeed())
                {
                    // Everything played (or was interrupted): the microphone has the voice again at once.
                    running = false;
                    continue;
                }

                var wait = TimeUntilCaptured(position + FrameSamples);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, token).ConfigureAwait(false);
                    continue;
                }

                var kind = PlayFrame(position, out var underrun);
                if (kind is null)
                {
                    running = false;
                    if (underrun)
                    {
                        Interlocked.Increment(ref _underruns);
                        _metrics.Underrun();
                    }

                    continue;
                }

                position += FrameSamples;
                Interlocked.Increment(ref _framesPlayed);
                _metrics.Played(kind.Value, FrameSamples);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_gate)
            {
                _playing = VoiceSourceKind.Microphone;
            }
        }
    }

    /// <summary>Whether the head feed may start a run: a finished feed plays what it has, an open one waits for the prebuffer.</summary>
    private bool HeadIsReady()
    {
        lock (_gate)
        {
            DropFinishedHeads();
            if (_feeds.First is not { } first)
            {
                _playing = VoiceSourceKind.Microphone;
                return false;
            }

            var feed = first.Value;
            return feed.IsCompleted ? feed.Available > 0 : feed.Available >= _prebufferSamples;
        }
    }

    /// <summary>Whether a feed is still queued; when none is, the microphone has the voice again.</summary>
    private bool HasFeed()
    {
        lock (_gate)
        {
            DropFinishedHeads();
            if (_feeds.First is null)
            {
                _playing = VoiceSourceKind.Microphone;
                return false;
            }

            return true;
        }
    }

    /// <summary>
    /// Hands the pipeline one frame at <paramref name="position"/> from the head feed (a finished feed's tail is padded
    /// with silence), under the same lock as the microphone's check so the two never interleave out of order. Null when
    /// there is nothing to play: every feed finished, or an open push stream has less than a frame (<paramref name="underrun"/>).
    /// </summary>
    private VoiceSourceKind? PlayFrame(long position, out bool underrun)
    {
        lock (_gate)
        {
            underrun = false;
            DropFinishedHeads();
            if (_feeds.First is not { } first)
            {
                _playing = VoiceSourceKind.Microphone;
                return null;
            }

            var feed = first.Value;
            if (!feed.IsCompleted && feed.Available < FrameSamples)
            {
                underrun = true;
                return null;
            }

            var frame = new short[FrameSamples];
            feed.Read(frame);
            _playing = feed.Kind;
            _next = position + FrameSamples;
            _output.Writer.TryWrite(new AudioFrame(frame, MediaClock.SampleRate, 1, position));
            return feed.Kind;
        }
    }

    private void DropFinishedHeads()
    {
        while (_feeds.First is { } first && first.Value.IsCompleted && first.Value.Available == 0)
        {
            _feeds.RemoveFirst();
        }
    }

    /// <summary>The media position being captured now on this session's clock.</summary>
    private long MediaNow() => MediaClock.FromTimeSpan(_time.GetElapsedTime(_start));

    private TimeSpan TimeUntilCaptured(long mediaPosition)
    {
        var due = _start + (mediaPosition * _time.TimestampFrequency / MediaClock.SampleRate);
        var remaining = due - _time.GetTimestamp();
        return remaining <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(remaining * TimeSpan.TicksPerSecond / _time.TimestampFrequency);
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake is already pending.
        }
    }
}
