using System.Diagnostics;
using System.Runtime.InteropServices;
using RealtimeHead.Codecs.Imaging;
using RealtimeHead.Codecs.Opus;
using RealtimeHead.Codecs.Vp8;
using RealtimeHead.Media;

// Prints per-frame codec costs as a markdown table. Run in Release: dotnet run -c Release.
const int VideoFrames = 200;
const int AudioFrames = 500;
var rows = new List<(string Name, string Unit, double[] Samples, string Note)>();
WarmUp();

foreach (var size in new[] { 256, 512 })
{
    var frames = Enumerable.Range(0, VideoFrames).Select(i => MovingPattern(size, size, i)).ToArray();
    using var encoder = new Vp8Encoder(new Vp8EncoderOptions { Width = size, Height = size, TargetBitrateKbps = 1000 });
    var encoded = new List<EncodedVideoFrame>();
    var encodeMs = Time(frames, frame => encoded.Add(encoder.Encode(frame)!));
    var kbps = encoded.Sum(e => e.Data.Length) * 8.0 / (VideoFrames / 25.0) / 1000;
    rows.Add(($"VP8 encode {size}x{size}", "ms/frame", encodeMs, $"{kbps:F0} kbit/s achieved at 25 fps, cpu-used -6, 1 thread"));

    using var decoder = new Vp8Decoder(new Vp8DecoderOptions());
    var psnr = new List<double>();
    var index = 0;
    var decodeMs = Time(encoded, e =>
    {
        var picture = decoder.Decode(e.Data).Frame!;
        if (index++ % 20 == 0)
        {
            psnr.Add(Psnr.I420(frames[index - 1], picture).Overall);
        }
    });
    rows.Add(($"VP8 decode {size}x{size}", "ms/frame", decodeMs, $"PSNR {psnr.Average():F1} dB (mean of every 20th frame)"));
}

var rgb = new byte[512 * 512 * 3];
new Random(1).NextBytes(rgb);
var target = new VideoFrame(512, 512, 0);
rows.Add(("RGB24 -> I420 512x512", "ms/frame", Time(Enumerable.Range(0, 200), _ => I420Conversion.RgbToI420(rgb, target)), "BT.601 limited range, scalar"));

var speech = SpeechLike(AudioFrames * OpusEncoder.SamplesPerFrame);
using (var opusEncoder = new OpusEncoder(new OpusEncoderOptions { Bitrate = 32_000 }))
using (var opusDecoder = new OpusDecoder(new OpusDecoderOptions()))
{
    var packets = new List<byte[]>();
    var chunks = Enumerable.Range(0, AudioFrames).ToArray();
    var encodeUs = Time(chunks, f => packets.Add(opusEncoder.Encode(speech.AsSpan(f * OpusEncoder.SamplesPerFrame, OpusEncoder.SamplesPerFrame))))
        .Select(ms => ms * 1000).ToArray();
    rows.Add(("Opus encode (mono, 20 ms)", "µs/frame", encodeUs, "32 kbit/s, complexity 9, FEC on"));

    var pcm = new short[OpusDecoder.MaxFrameSamplesPerChannel];
    var decodeUs = Time(packets, p => opusDecoder.Decode(p, pcm)).Select(ms => ms * 1000).ToArray();
    rows.Add(("Opus decode (mono, 20 ms)", "µs/frame", decodeUs, $"{packets.Average(p => p.Length):F0} bytes/packet"));
}

Console.WriteLine($"RealtimeHead.Codecs benchmark: {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, " +
    $"{Environment.ProcessorCount} cores, {VideoFrames} video / {AudioFrames} audio frames per row");
Console.WriteLine();
Console.WriteLine("| Measurement | Unit | p50 | p95 | mean | Note |");
Console.WriteLine("|---|---|---:|---:|---:|---|");
foreach (var (name, unit, samples, note) in rows)
{
    var sorted = samples.Order().ToArray();
    Console.WriteLine($"| {name} | {unit} | {Percentile(sorted, 0.50):F2} | {Percentile(sorted, 0.95):F2} | {sorted.Average():F2} | {note} |");
}

static double[] Time<T>(IEnumerable<T> items, Action<T> action)
{
    var times = new List<double>();
    foreach (var item in items)
    {
        var start = Stopwatch.GetTimestamp();
        action(item);
        times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    return [.. times];
}

// JIT-compiles every measured path and loads the native libraries so the first timed frames are honest.
static void WarmUp()
{
    using var encoder = new Vp8Encoder(new Vp8EncoderOptions { Width = 64, Height = 64 });
    using var decoder = new Vp8Decoder(new Vp8DecoderOptions());
    for (var i = 0; i < 30; i++)
    {
        var frame = MovingPattern(64, 64, i);
        decoder.Decode(encoder.Encode(frame)!.Data);
        I420Conversion.RgbToI420(new byte[64 * 64 * 3], frame);
        Psnr.I420(frame, frame);
    }

    using var opusEncoder = new OpusEncoder(new OpusEncoderOptions());
    using var opusDecoder = new OpusDecoder(new OpusDecoderOptions());
    var pcm = new short[OpusDecoder.MaxFrameSamplesPerChannel];
    for (var i = 0; i < 50; i++)
    {
        opusDecoder.Decode(opusEncoder.Encode(new short[OpusEncoder.SamplesPerFrame]), pcm);
    }
}

static double Percentile(double[] sorted, double p) => sorted[(int)Math.Min(sorted.Length - 1, Math.Round(p * (sorted.Length - 1)))];

// A drifting sine grating with a sliding square and mild grain: motion plus detail, like a talking head.
static VideoFrame MovingPattern(int width, int height, int index)
{
    var frame = new VideoFrame(width, height, (long)index * (MediaClock.SampleRate / 25));
    var grain = new Random(index);
    var squareX = (index * 5) % (width - 48);
    var squareY = (index * 3) % (height - 48);
    for (var y = 0; y < height; y++)
    {
        for (var x = 0; x < width; x++)
        {
            var value = 128 + (50 * Math.Sin(2 * Math.PI * (x + (3 * index)) / 40) * Math.Cos(2 * Math.PI * (y + (2 * index)) / 56));
            if (x >= squareX && x < squareX + 48 && y >= squareY && y < squareY + 48)
            {
                value = 220;
            }

            frame.Y[(y * width) + x] = (byte)Math.Clamp(value + grain.Next(-3, 4), 0, 255);
        }
    }

    for (var y = 0; y < frame.ChromaHeight; y++)
    {
        for (var x = 0; x < frame.ChromaWidth; x++)
        {
            frame.U[(y * frame.ChromaWidth) + x] = (byte)(128 + (40 * Math.Sin(2 * Math.PI * (x + index) / 80)));
            frame.V[(y * frame.ChromaWidth) + x] = (byte)(128 + (40 * Math.Cos(2 * Math.PI * (y - index) / 70)));
        }
    }

    return frame;
}

static short[] SpeechLike(int samples)
{
    var pcm = new short[samples];
    double phase = 0;
    for (var n = 0; n < samples; n++)
    {
        var t = n / 48_000.0;
        phase += 2 * Math.PI * (140 + (40 * Math.Sin(2 * Math.PI * 1.3 * t))) / 48_000;
        double value = 0;
        for (var h = 1; h <= 12; h++)
        {
            value += Math.Sin(h * phase) / h;
        }

        pcm[n] = (short)(5000 * (0.55 + (0.45 * Math.Sin(2 * Math.PI * 4.1 * t))) * value);
    }

    return pcm;
}
