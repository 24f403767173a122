namespace RealtimeHead.Server.Tests.EndToEnd;

/// <summary>
/// Measurements the tests run inside the real pages (they use only the pages' public elements and their
/// <c>window.realtimeHead</c> hook; nothing here ships in web/).
/// </summary>
internal static class PageProbe
{
    /// <summary>
    /// <c>(seconds) =&gt; Promise&lt;report&gt;</c>: for <c>seconds</c>, every video frame the page presents
    /// (requestVideoFrameCallback) is drawn to a canvas and the mean absolute luma difference to the previous drawn
    /// frame is taken over the mouth region (lower middle: x 30-70 %, y 60-90 %) and over a control region (upper
    /// middle: x 30-70 %, y 10-40 %); the avatar's voice is measured through an AnalyserNode on the remote audio
    /// element's stream every 20 ms (RMS). Frame and audio times are performance.now() milliseconds, so each frame can
    /// be matched with the voice that played with it (Chromium plays the two tracks in sync).
    /// </summary>
    public const string Measure = """
        async (seconds) => {
          const video = document.getElementById('remote-video');
          const audio = document.getElementById('remote-audio');
          const clientAtStart = window.realtimeHead.stats.client;
          const context = new AudioContext();
          await context.resume();
          const analyser = context.createAnalyser();
          analyser.fftSize = 1024;
          context.createMediaStreamSource(audio.srcObject).connect(analyser);
          const samples = new Float32Array(analyser.fftSize);
          const voice = [];
          const voiceTimer = setInterval(() => {
            analyser.getFloatTimeDomainData(samples);
            let sum = 0;
            for (const s of samples) sum += s * s;
            voice.push([performance.now(), Math.sqrt(sum / samples.length)]);
          }, 20);

          const canvas = document.createElement('canvas');
          const g = canvas.getContext('2d', { willReadFrequently: true });
          const luma = (x0, y0, w, h) => {
            const d = g.getImageData(x0, y0, w, h).data;
            const out = new Float32Array(w * h);
            for (let i = 0; i < out.length; i++) out[i] = 0.299 * d[4 * i] + 0.587 * d[4 * i + 1] + 0.114 * d[4 * i + 2];
            return out;
          };
          const mad = (a, b) => {
            if (!a || !b || a.length !== b.length) return null;
            let s = 0;
            for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
            return s / a.length;
          };

          return await new Promise((resolve) => {
            const frames = [];
            let first = null, last = null, previousMouth = null, previousControl = null;
            const start = performance.now();
            const onFrame = (now, meta) => {
              const w = meta.width, h = meta.height;
              if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
              g.drawImage(video, 0, 0, w, h);
              const rx = Math.round(w * 0.3), rw = Math.round(w * 0.4), rh = Math.round(h * 0.3);
              const mouth = luma(rx, Math.round(h * 0.6), rw, rh);
              const control = luma(rx, Math.round(h * 0.1), rw, rh);
              const sample = { t: now, presented: meta.presentedFrames, w, h, mouth: mad(mouth, previousMouth), control: mad(control, previousControl) };
              previousMouth = mouth;
              previousControl = control;
              frames.push(sample);
              first ??= sample;
              last = sample;
              if (now - start < seconds * 1000) {
                video.requestVideoFrameCallback(onFrame);
              } else {
                clearInterval(voiceTimer);
                context.close();
                resolve({
                  frames, voice,
                  presentedFrames: last.presented - first.presented,
                  elapsedMs: last.t - first.t,
                  clientAtStart,
                  client: window.realtimeHead.stats.client,
                  server: window.realtimeHead.stats.server,
                });
              }
            };
            video.requestVideoFrameCallback(onFrame);
          });
        }
        """;

    /// <summary><c>(ms) =&gt; Promise&lt;{ presentedFrames, elapsedMs }&gt;</c>: frames the page presents during <c>ms</c>.</summary>
    public const string CountFrames = """
        (ms) => new Promise((resolve) => {
          const video = document.getElementById('remote-video');
          let first = null;
          const onFrame = (now, meta) => {
            first ??= { now, presented: meta.presentedFrames };
            if (now - first.now < ms) {
              video.requestVideoFrameCallback(onFrame);
            } else {
              resolve({ presentedFrames: meta.presentedFrames - first.presented, elapsedMs: now - first.now });
            }
          };
          video.requestVideoFrameCallback(onFrame);
        })
        """;
}
