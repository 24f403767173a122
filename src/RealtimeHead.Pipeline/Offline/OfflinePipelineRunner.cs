using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Audio;
using RealtimeHead.Media;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Pipeline.Scheduling;
using RealtimeHead.Rendering;

namespace RealtimeHead.Pipeline.Offline;

/// <summary>
/// Runs a recorded voice through the server's own pipeline (a <see cref="PipelineSession"/> on its own
/// <see cref="RenderScheduler"/>, the given front-end, detector and resampler) as fast as the renderer allows, and writes
/// exactly the frames and voice a peer would have received: what <c>realtimehead render</c> does.
/// <para>How it runs faster than real time: on a <see cref="VirtualTimeProvider"/>. The input is delivered as 20 ms
/// frames, each when its last sample would have been captured. Between events the runner waits (in real time) until the
/// pipeline has settled: every queue empty, no stage busy, no batch rendering, no inbound frame unread. Only then does
/// it move the clock to the next event (a stage's timer, the scheduler's tick, the next audio frame). Rendering
/// therefore costs no media time: the ladder stays on <see cref="DegradationLevel.Full"/>, no frame is late, and the
/// output is the same on a fast or a slow machine (timing statistics of such a run are meaningless).</para>
/// <para>The end of the input does not end the pipeline (the face idles on): the run feeds silence after the input
/// until every frame slot and sample of the input's length has been sent, and writes no more than that.</para>
/// </summary>
public static class OfflinePipelineRunner
{
    /// <summary>Renders <paramref name="audio"/> (48 kHz mono) with <paramref name="portrait"/> to <paramref name="sink"/>.</summary>
    /// <param name="renderer">The model; used from the run's render thread only while the run lasts.</param>
    /// <param name="portrait">The face, encoded by <paramref name="renderer"/>.</param>
    /// <param name="frontEnd">Speech features (dimension of the renderer's).</param>
    /// <param name="voiceActivity">Voice-activity detector, or null to gate on energy.</param>
    /// <param name="resampler">48 → 16 kHz converter.</param>
    /// <param name="audio">The voice, 48 kHz mono 16-bit; at least one sample.</param>
    /// <param name="sink">Receives the video frames and the voice.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="progress">Told after each video frame written.</param>
    /// <param name="metrics">Instruments to record into; null for a private set.</param>
    /// <param name="loggerFactory">Log sink of the pipeline; null for none.</param>
    /// <param name="cancellationToken">Stops the run (the pipeline is torn down first).</param>
    public static async Task<OfflineRenderResult> RunAsync(ITalkingHeadRenderer renderer, IPortraitEncoding portrait,
        IAudioFrontEnd frontEnd, IVoiceActivityDetector? voiceActivity, IAudioResampler resampler, ReadOnlyMemory<short> audio,
        IOfflineMediaSink sink, OfflineRenderOptions? options = null, IProgress<OfflineRenderProgress>? progress = null,
        PipelineMetrics? metrics = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(portrait);
        ArgumentNullException.ThrowIfNull(frontEnd);
        ArgumentNullException.ThrowIfNull(resampler);
        ArgumentNullException.ThrowIfNull(sink);
        options ??= new OfflineRenderOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(OfflineRenderOptions)}: {string.Join(" ", errors)}", nameof(options));
        }

        if (audio.IsEmpty)
        {
            throw new ArgumentException("The audio is empty: nothing to render.", nameof(audio));
        }

        loggerFactory ??= NullLoggerFactory.Instance;
        var ownMetrics = metrics is null;
        metrics ??= new PipelineMetrics();
        var watch = Stopwatch.StartNew();
        var clock = new VirtualTimeProvider();
        var model = options.BasePose == HeadPose.Frontal ? renderer : new PoseOffsetRenderer(renderer, options.BasePose);
        var scheduler = new RenderScheduler(model, options.Scheduler, clock, metrics, loggerFactory.CreateLogger<RenderScheduler>());
        var peer = new OfflinePeerMediaSession(options.SessionId);
        PipelineSession? session = null;
        try
        {
            scheduler.Start();
            var start = clock.GetTimestamp();
            session = new PipelineSession(peer, portrait, frontEnd, voiceActivity, resampler, scheduler, options.Session, clock,
                metrics, loggerFactory.CreateLogger<PipelineSession>());
            var admission = session.Start();
            if (!admission.Admitted)
            {
                throw new InvalidOperationException($"The render scheduler refused the session: {admission.Message}");
            }

            var run = new Run(clock, scheduler, session, peer, sink, options, audio, start, progress, watch);
            return await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (session is not null)
            {
                await Drive(clock, session.DisposeAsync().AsTask()).ConfigureAwait(false);
            }

            await Drive(clock, scheduler.DisposeAsync().AsTask()).ConfigureAwait(false);
            await peer.DisposeAsync().ConfigureAwait(false);
            if (ownMetrics)
            {
                metrics.Dispose();
            }
        }
    }

    /// <summary>Teardown waits on the clock (bounded waits): move it until the task is done.</summary>
    private static async Task Drive(VirtualTimeProvider clock, Task task)
    {
        while (!task.IsCompleted)
        {
            clock.AdvanceTo(clock.GetTimestamp() + TimeSpan.FromMilliseconds(100).Ticks);
            await Task.WhenAny(task, Task.Delay(5)).ConfigureAwait(false);
        }

        await task.ConfigureAwait(false);
    }

    private sealed class Run(VirtualTimeProvider clock, RenderScheduler scheduler, PipelineSession session,
        OfflinePeerMediaSession peer, IOfflineMediaSink sink, OfflineRenderOptions options, ReadOnlyMemory<short> audio, long start,
        IProgress<OfflineRenderProgress>? progress, Stopwatch watch)
    {
        private readonly int _samplesPerFrame = MediaClock.SampleRate / options.Scheduler.FrameRate;
        private readonly int _frameSamples = options.InboundFrameSamples;
        private long _delivered; // inbound samples delivered (input, then silence)
        private int _framesWritten;
        private int _filledFrames;
        private long _audioWritten;
        private long _filledAudio;
        private VideoFrame? _last;

        private int FramesTotal => (int)((audio.Length + _samplesPerFrame - 1) / _samplesPerFrame);

        private bool Done => _framesWritten >= FramesTotal && _audioWritten >= audio.Length;

        public async Task<OfflineRenderResult> ExecuteAsync(CancellationToken cancellationToken)
        {
            // Past this much media time with output still missing, the pipeline has stopped producing it.
            var limit = start + MediaClock.ToTimeSpan(audio.Length).Ticks + (options.Session.MaxAvDelay + TimeSpan.FromSeconds(10)).Ticks;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                DeliverDueAudio();
                await SettleAsync(cancellationToken).ConfigureAwait(false);
                await WriteSentAsync(cancellationToken).ConfigureAwait(false);
                if (Done)
                {
                    break;
                }

                var next = Math.Min(clock.NextDue ?? long.MaxValue, CaptureEnd(_delivered + _frameSamples));
                if (next > limit)
                {
                    throw new InvalidOperationException(
                        $"The pipeline stopped producing output: {_framesWritten} of {FramesTotal} frames and {_audioWritten} of {audio.Length} " +
                        $"samples after {MediaClock.ToTimeSpan(MediaNow).TotalSeconds:F2} s of media time.");
                }

                clock.AdvanceTo(next);
            }

            return new OfflineRenderResult(_framesWritten, _audioWritten, _filledFrames, _filledAudio, session.Stats,
                MediaClock.ToTimeSpan(MediaNow), watch.Elapsed);
        }

        private long MediaNow => (clock.GetTimestamp() - start) * MediaClock.SampleRate / clock.TimestampFrequency;

        /// <summary>The clock timestamp at which media position <paramref name="samples"/> has been captured.</summary>
        private long CaptureEnd(long samples) => start + (samples * clock.TimestampFrequency / MediaClock.SampleRate);

        private void DeliverDueAudio()
        {
            var now = clock.GetTimestamp();
            while (CaptureEnd(_delivered + _frameSamples) <= now)
            {
                var samples = new short[_frameSamples];
                if (_delivered < audio.Length)
                {
                    var count = (int)Math.Min(_frameSamples, audio.Length - _delivered);
                    audio.Span.Slice((int)_delivered, count).CopyTo(samples);
                }

                peer.Receive(new AudioFrame(samples, MediaClock.SampleRate, 1, _delivered));
                _delivered += _frameSamples;
            }
        }

        /// <summary>Waits until nothing in the pipeline can progress before the clock moves.</summary>
        private async Task SettleAsync(CancellationToken cancellationToken)
        {
            var settleWatch = Stopwatch.StartNew();
            var stable = 0;
            var polls = 0;
            while (stable < 3)
            {
                if (session.Completion.IsCompleted)
                {
                    throw new InvalidOperationException("A pipeline stage failed; see the log.");
                }

                var settled = !scheduler.IsRendering && peer.InboundPending == 0 && session.IsSettled;
                stable = settled ? stable + 1 : 0;
                if (settleWatch.Elapsed > options.SettleTimeout)
                {
                    throw new TimeoutException($"The pipeline did not settle within {options.SettleTimeout.TotalSeconds:F0} s " +
                        $"(rendering: {scheduler.IsRendering}, inbound pending: {peer.InboundPending}).");
                }

                cancellationToken.ThrowIfCancellationRequested();
                // Yield first (stages usually finish within a few continuations); sleep while a batch renders. The last
                // confirmation of a settled pipeline waits a real millisecond: a stage continuing on another thread can be
                // between "my wait is over" and "my next timer is made" for longer than two yields, and moving the clock
                // then would make its frame late.
                if (++polls < 50 && stable < 2)
                {
                    await Task.Yield();
                }
                else
                {
                    await Task.Delay(1, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private async Task WriteSentAsync(CancellationToken cancellationToken)
        {
            var (video, voice) = peer.TakeSent();
            foreach (var frame in video)
            {
                var index = frame.MediaTimestamp / _samplesPerFrame;
                if (index < _framesWritten || frame.MediaTimestamp % _samplesPerFrame != 0)
                {
                    continue;
                }

                // A dropped slot (rare offline: nothing is ever late) keeps the picture of the frame before it.
                while (_framesWritten < Math.Min(index, FramesTotal))
                {
                    await WriteFrameAsync(Repeat(_last ?? frame, _framesWritten), cancellationToken).ConfigureAwait(false);
                    _filledFrames++;
                }

                if (_framesWritten < FramesTotal)
                {
                    await WriteFrameAsync(frame, cancellationToken).ConfigureAwait(false);
                }
            }

            foreach (var frame in voice)
            {
                var end = Math.Min(frame.MediaTimestamp + frame.SampleCount, audio.Length);
                if (end <= _audioWritten)
                {
                    continue;
                }

                if (frame.MediaTimestamp > _audioWritten)
                {
                    var gap = (int)(Math.Min(frame.MediaTimestamp, audio.Length) - _audioWritten);
                    await sink.WriteAudioAsync(new short[gap], cancellationToken).ConfigureAwait(false);
                    _filledAudio += gap;
                    _audioWritten += gap;
                }

                if (end > _audioWritten)
                {
                    var mono = frame.Channels == 1 ? frame.Samples : Downmix(frame);
                    var offset = (int)(_audioWritten - frame.MediaTimestamp);
                    await sink.WriteAudioAsync(mono.AsMemory(offset, (int)(end - _audioWritten)), cancellationToken).ConfigureAwait(false);
                    _audioWritten = end;
                }
            }
        }

        private async Task WriteFrameAsync(VideoFrame frame, CancellationToken cancellationToken)
        {
            await sink.WriteVideoAsync(frame, cancellationToken).ConfigureAwait(false);
            _last = frame;
            _framesWritten++;
            progress?.Report(new OfflineRenderProgress(_framesWritten, FramesTotal, watch.Elapsed));
        }

        private VideoFrame Repeat(VideoFrame source, long index)
        {
            var copy = new VideoFrame(source.Width, source.Height, index * _samplesPerFrame);
            source.Y.CopyTo(copy.Y, 0);
            source.U.CopyTo(copy.U, 0);
            source.V.CopyTo(copy.V, 0);
            return copy;
        }

        private static short[] Downmix(AudioFrame frame)
        {
            var mono = new short[frame.SampleCount];
            for (var i = 0; i < mono.Length; i++)
            {
                var sum = 0;
                for (var c = 0; c < frame.Channels; c++)
                {
                    sum += frame.Samples[(i * frame.Channels) + c];
                }

                mono[i] = (short)(sum / frame.Channels);
            }

            return mono;
        }
    }

    /// <summary>Adds a fixed pose to every request (the <c>--pose</c> of <c>realtimehead render</c>).</summary>
    private sealed class PoseOffsetRenderer(ITalkingHeadRenderer inner, HeadPose offset) : ITalkingHeadRenderer
    {
        public int FrameSize => inner.FrameSize;

        public int AudioWindowFrames => inner.AudioWindowFrames;

        public int AudioFeatureDim => inner.AudioFeatureDim;

        public IPortraitEncoding EncodePortrait(string portraitId, byte[] rgb, int width, int height) =>
            inner.EncodePortrait(portraitId, rgb, width, height);

        public IReadOnlyList<RenderedFrame> Render(IReadOnlyList<RenderRequest> batch) =>
            inner.Render(batch.Select(r => r with
            {
                Pose = new HeadPose(r.Pose.Yaw + offset.Yaw, r.Pose.Pitch + offset.Pitch, r.Pose.Roll + offset.Roll),
            }).ToList());

        // The caller owns the model.
        public void Dispose()
        {
        }
    }
}
