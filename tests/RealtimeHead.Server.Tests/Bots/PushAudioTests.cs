using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using RealtimeHead.Codecs.Opus;
using RealtimeHead.Media;
using RealtimeHead.Server.Bots;
using RealtimeHead.Server.Sessions;
using RealtimeHead.Server.Tests.TestSupport;

namespace RealtimeHead.Server.Tests.Bots;

public sealed class PushAudioTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(16_000, 1)]
    [InlineData(48_000, 2)]
    public async Task PushPcm_OneSecondOfVoice_DrivesTheFaceAndLeavesAsTheDelayedOutgoingVoice(int rate, int channels)
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        var voice = host.Voice(sessionId);
        var sent = new ConcurrentQueue<(AudioFrame Frame, long At)>();
        voice.AudioSent += frame => sent.Enqueue((frame, Stopwatch.GetTimestamp()));
        var mono = BotTestHost.Voiced(rate, 1.0);
        var samples = channels == 1 ? mono : [.. mono.SelectMany(s => new[] { s, s })];

        using var socket = await host.ConnectPushAsync(sessionId, $"format=pcm16&rate={rate}&channels={channels}");
        var started = Stopwatch.GetTimestamp();
        var chunk = rate / 50 * channels;
        for (var offset = 0; offset < samples.Length; offset += chunk)
        {
            // All at once, far faster than real time: the server buffers and paces it.
            await BotTestHost.SendAsync(socket, BotTestHost.ToBytes(samples.AsSpan(offset, Math.Min(chunk, samples.Length - offset))));
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await BotTestHost.UntilAsync(() => voice.FramesPlayed >= 50 && voice.Source == VoiceSourceKind.Microphone,
            () => $"played {voice.FramesPlayed}, source {voice.Source}, underruns {voice.Underruns}, sent {sent.Count}");
        var playedFor = Stopwatch.GetElapsedTime(started);

        // Paced in real time: 50 frames of 20 ms cannot have been handed over in much less than a second.
        Assert.True(playedFor >= TimeSpan.FromMilliseconds(900), $"played in {playedFor.TotalMilliseconds} ms");

        // The face got the voice: audio windows far above the silence features.
        await host.AssertFaceMovedAsync();

        // The outgoing voice carries the pushed signal, no earlier than its real-time position plus the pipeline's delay.
        await BotTestHost.UntilAsync(() => sent.Count(s => Rms(s.Frame.Samples) > 100) >= 45,
            () => $"sent {sent.Count}, loud {sent.Count(s => Rms(s.Frame.Samples) > 100)}");
        var loud = sent.Where(s => Rms(s.Frame.Samples) > 100).ToList();
        var first = loud[0];
        Assert.InRange(Rms(loud.SelectMany(s => s.Frame.Samples).ToArray()), Rms(mono) * 0.9, Rms(mono) * 1.1);
        foreach (var (frame, at) in loud)
        {
            var mediaOffset = MediaClock.ToTimeSpan(frame.MediaTimestamp - first.Frame.MediaTimestamp);
            Assert.True(Stopwatch.GetElapsedTime(started, at) >= mediaOffset + TimeSpan.FromMilliseconds(40),
                $"frame at +{mediaOffset.TotalMilliseconds} ms sent {Stopwatch.GetElapsedTime(started, at).TotalMilliseconds} ms after the push");
        }

        if (rate == 48_000)
        {
            // At the media clock's rate nothing is converted: the outgoing voice is the pushed samples, bit for bit.
            var pushed = loud.OrderBy(s => s.Frame.MediaTimestamp).SelectMany(s => s.Frame.Samples).Take(4800).ToArray();
            var start = mono.AsSpan().IndexOf(pushed.AsSpan(0, 64));
            Assert.True(start >= 0);
            Assert.Equal(mono.AsSpan(start, 4800).ToArray(), pushed);
        }
    }

    [Fact]
    public async Task PushOpus_PacketsFromTheProjectsEncoder_AreDecodedIntoTheVoice()
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        var voice = host.Voice(sessionId);
        var sent = new ConcurrentQueue<AudioFrame>();
        voice.AudioSent += sent.Enqueue;
        var mono = BotTestHost.Voiced(48_000, 1.0);
        using var encoder = new OpusEncoder(new OpusEncoderOptions { Bitrate = 64_000 });

        using var socket = await host.ConnectPushAsync(sessionId, "format=opus");
        for (var offset = 0; offset + OpusEncoder.SamplesPerFrame <= mono.Length; offset += OpusEncoder.SamplesPerFrame)
        {
            await BotTestHost.SendAsync(socket, encoder.Encode(mono.AsSpan(offset, OpusEncoder.SamplesPerFrame)));
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await BotTestHost.UntilAsync(() => voice.FramesPlayed >= 50 && sent.Count(f => Rms(f.Samples) > 100) >= 45,
            () => $"played {voice.FramesPlayed}, sent {sent.Count}, loud {sent.Count(f => Rms(f.Samples) > 100)}, source {voice.Source}");

        var loud = sent.Where(f => Rms(f.Samples) > 100).SelectMany(f => f.Samples).ToArray();
        Assert.InRange(Rms(loud), Rms(mono) * 0.75, Rms(mono) * 1.25);
        await host.AssertFaceMovedAsync();
        Assert.Contains("realtimehead_server_bots_push_streams_total{format=\"opus\"} 1\n", await host.MetricsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_MalformedMessages_AreRefusedWithErrorsCountedAndTheStreamGoesOn()
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        var voice = host.Voice(sessionId);

        using var pcm = await host.ConnectPushAsync(sessionId, "format=pcm16&rate=16000");
        await BotTestHost.SendAsync(pcm, [1, 2, 3]);
        var odd = await BotTestHost.ReceiveJsonAsync(pcm);
        await BotTestHost.SendAsync(pcm, "{\"hello\":1}"u8.ToArray(), WebSocketMessageType.Text);
        var text = await BotTestHost.ReceiveJsonAsync(pcm);
        await BotTestHost.SendAsync(pcm, BotTestHost.ToBytes(BotTestHost.Voiced(16_000, 0.2)));
        await Eventually.TrueAsync(() => voice.FramesPlayed >= 5, Patience);
        await pcm.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

        await Eventually.TrueAsync(() => voice.Source == VoiceSourceKind.Microphone, Patience);
        using var opus = await host.ConnectPushAsync(sessionId, "format=opus");
        await BotTestHost.SendAsync(opus, []);
        var empty = await BotTestHost.ReceiveJsonAsync(opus);
        await BotTestHost.SendAsync(opus, [0x03, 0x00]);   // code-3 TOC with a frame count of zero (RFC 6716 §3.2.5)
        var invalid = await BotTestHost.ReceiveJsonAsync(opus);

        Assert.Equal(("error", BotErrorCode.OddLength), (odd.GetProperty("type").GetString(), odd.GetProperty("code").GetString()));
        Assert.Contains("multiple of 2 bytes", odd.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(BotErrorCode.NotBinary, text.GetProperty("code").GetString());
        Assert.Equal(BotErrorCode.UndecodableOpus, empty.GetProperty("code").GetString());
        Assert.Equal(BotErrorCode.UndecodableOpus, invalid.GetProperty("code").GetString());
        Assert.Equal(WebSocketState.Open, opus.State);
        var metrics = await host.MetricsAsync();
        Assert.Contains("realtimehead_server_bots_refused_total{reason=\"odd_length\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("realtimehead_server_bots_refused_total{reason=\"not_binary\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("realtimehead_server_bots_refused_total{reason=\"undecodable_opus\"} 2\n", metrics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("format=pcm16&rate=48000&channels=2", BotErrorCode.OddLength)]
    [InlineData("format=opus", BotErrorCode.UndecodableOpus)]
    public async Task Push_RandomMessages_EachIsPlayedOrRefusedAndTheSocketStaysOpen(string query, string code)
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        var random = new Random(11);
        var messages = Enumerable.Range(0, 150).Select(_ => new byte[random.Next(0, 1500)]).ToList();
        messages.ForEach(random.NextBytes);

        using var socket = await host.ConnectPushAsync(sessionId, query);
        foreach (var message in messages)
        {
            await BotTestHost.SendAsync(socket, message);
        }

        // PCM refuses exactly the empty or misaligned blocks; Opus refuses whatever libopus cannot parse. Each refusal
        // is answered with one error message, in order, and the socket stays open.
        var expected = query.Contains("pcm16", StringComparison.Ordinal) ? messages.Count(m => m.Length == 0 || m.Length % 4 != 0) : 1;
        for (var i = 0; i < expected; i++)
        {
            var error = await BotTestHost.ReceiveJsonAsync(socket);
            Assert.Equal(code, error.GetProperty("code").GetString());
        }

        Assert.Equal(WebSocketState.Open, socket.State);
        Assert.Equal(1, host.Server.Get<SessionManager>().Count);
        if (code == BotErrorCode.OddLength)
        {
            Assert.InRange(expected, 100, 150);
            Assert.Contains($"realtimehead_server_bots_refused_total{{reason=\"{code}\"}} {expected}\n", await host.MetricsAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Push_MessageOverTheLimit_ClosesWith1009AndOtherSessionsPlayOn()
    {
        await using var host = await BotTestHost.StartAsync();
        var (clientA, sessionA) = await host.JoinAsync();
        await using var _ = clientA;
        var (clientB, sessionB) = await host.JoinAsync();
        await using var __ = clientB;
        using var good = await host.ConnectPushAsync(sessionB, "format=pcm16&rate=16000");
        using var bad = await host.ConnectPushAsync(sessionA, "format=pcm16&rate=16000");
        await BotTestHost.SendPcmAsync(good, BotTestHost.Voiced(16_000, 0.5), 16_000);

        await BotTestHost.SendAsync(bad, new byte[20_000]);   // over Bots:MaxMessageBytes (16 KiB here)
        var (status, reason) = await BotTestHost.ReceiveCloseAsync(bad);

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.StartsWith(BotErrorCode.MessageTooLarge, reason, StringComparison.Ordinal);
        await BotTestHost.SendPcmAsync(good, BotTestHost.Voiced(16_000, 0.3), 16_000);
        await BotTestHost.UntilAsync(() => host.Voice(sessionB).FramesPlayed >= 35, () => $"played {host.Voice(sessionB).FramesPlayed}");
        Assert.Equal(WebSocketState.Open, good.State);
        Assert.Equal(2, host.Server.Get<SessionManager>().Count);
        Assert.Equal(0, host.Voice(sessionA).FramesPlayed);
        Assert.Equal(VoiceSourceKind.Push, host.Voice(sessionB).Source);
    }

    [Fact]
    public async Task Push_SecondSocketOnTheSameSession_IsRefusedWith409VoiceBusy()
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        using var first = await host.ConnectPushAsync(sessionId, "format=opus");

        var second = await Assert.ThrowsAnyAsync<Exception>(() => host.ConnectPushAsync(sessionId, "format=opus"));

        Assert.Contains("409", second.Message, StringComparison.Ordinal);
        Assert.Equal(WebSocketState.Open, first.State);
        Assert.Contains("realtimehead_server_bots_refused_total{reason=\"voice_busy\"} 1\n", await host.MetricsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leave_WithAPushOpen_ClosesTheSocketWith1001AndTheReason()
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        using var socket = await host.ConnectPushAsync(sessionId, "format=pcm16&rate=24000");
        await BotTestHost.SendPcmAsync(socket, BotTestHost.Voiced(24_000, 2), 24_000);

        Assert.Null((await client.InvokeAsync("Leave")).Error);
        var (status, reason) = await BotTestHost.ReceiveCloseAsync(socket);

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.Equal("session_ended: left", reason);
        Assert.Equal(0, host.Server.Get<SessionManager>().Count);
        // The receiver counts what was left unplayed as it finishes, which may be just after its close frame went out.
        var metrics = await host.MetricsAsync();
        for (var attempt = 0; attempt < 100 && !metrics.Contains("bots_voice_discarded_seconds_total{reason=\"session_ended\"}", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(50);
            metrics = await host.MetricsAsync();
        }

        Assert.Contains("realtimehead_server_bots_voice_discarded_seconds_total{reason=\"session_ended\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BargeIn_WhilePushedAudioPlays_DropsItAndTheMicrophoneTakesOver()
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        var voice = host.Voice(sessionId);
        using var socket = await host.ConnectPushAsync(sessionId, "format=pcm16&rate=16000");
        await BotTestHost.SendPcmAsync(socket, BotTestHost.Voiced(16_000, 5), 16_000);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await Eventually.TrueAsync(() => voice.FramesPlayed >= 3, Patience);

        Assert.Null((await client.InvokeAsync("BargeIn")).Error);

        await Eventually.TrueAsync(() => voice.Source == VoiceSourceKind.Microphone, Patience);
        var played = voice.FramesPlayed;
        await Task.Delay(200);
        Assert.InRange(voice.FramesPlayed - played, 0, 1);
        Assert.Contains("realtimehead_server_bots_voice_discarded_seconds_total{reason=\"barge_in\"}", await host.MetricsAsync(), StringComparison.Ordinal);
    }

    private static double Rms(short[] samples) => PcmUpsamplerTests.Rms(samples);
}
