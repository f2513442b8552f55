// The teacher's voice (docs/live-protocol.md section 6), plain ES module.
// Teacher: microphone → worklet (60 ms blocks) → WebCodecs AudioEncoder
// (Opus mono 48 kHz, 12 or 8 kbit/s) → bundles of 6 packets (~360 ms) as
// binary frames. Student: bundles → AudioDecoder → the "lophoc-player"
// worklet's ring buffer. A browser without WebCodecs is told so in words,
// and pointed at the recording.

const BUNDLE_PACKETS = 6;
const RATE = 48000;

export function setupAudio({ send, sendBinary, handlers, role, t }) {
  const box = document.getElementById("live-audio");
  if (!box) return { onBundle() {}, query: () => "" };
  const status = box.querySelector(".audio-status");
  const say = (key) => { status.textContent = t(key); };
  const saverBox = box.querySelector("[name=data_saver]");
  const saverKey = "lophoc-audio-saver";
  if (saverBox) saverBox.checked = localStorage.getItem(saverKey) === "1";
  const stats = { decoded: 0, played: 0, heard: 0, errors: 0, bundles: 0 };
  window.lophocAudio = stats; // read by the browser tests
  let live = null;

  const teacher = role === "teacher";
  const api = teacher ? setupTeacher() : setupListener();

  handlers["audio.started"] = (f) => { live = f; api.started(f); };
  handlers["audio.stopped"] = () => { live = null; api.stopped(); };
  handlers["audio.meter"] = (f) => {
    const el = box.querySelector(".audio-meter-text");
    if (el) el.textContent = t("audioCost").replace("{mb}", (f.wire_bytes_per_hour / 1e6).toFixed(1));
  };
  const stateHandler = handlers["room.state"];
  handlers["room.state"] = (s) => {
    stateHandler(s);
    live = s.audio;
    api.state(s.audio);
  };

  function setupListener() {
    const button = box.querySelector(".audio-play");
    const mute = box.querySelector("[name=mute]");
    let ctx = null;
    let node = null;
    let decoder = null;
    let gain = null;
    const supported = "AudioDecoder" in window && "AudioWorkletNode" in window;

    async function start() {
      ctx = new AudioContext({ sampleRate: RATE });
      await ctx.audioWorklet.addModule(box.dataset.worklet);
      node = new AudioWorkletNode(ctx, "lophoc-player", { outputChannelCount: [1] });
      node.port.onmessage = (ev) => { stats.played = ev.data.played; stats.heard = ev.data.heard; };
      gain = new GainNode(ctx, { gain: mute && mute.checked ? 0 : 1 });
      node.connect(gain).connect(ctx.destination);
      decoder = new AudioDecoder({
        output(data) {
          const pcm = new Float32Array(data.numberOfFrames);
          data.copyTo(pcm, { planeIndex: 0, format: "f32-planar" });
          data.close();
          stats.decoded += pcm.length;
          node.port.postMessage(pcm, [pcm.buffer]);
        },
        error() { stats.errors += 1; decoder = null; },
      });
      decoder.configure({ codec: "opus", sampleRate: RATE, numberOfChannels: 1 });
      await ctx.resume();
    }

    function show(audio) {
      if (!audio) { button.hidden = true; say("audioOff"); return; }
      if (!supported) { button.hidden = true; say("audioUnsupported"); return; }
      if (saverBox && saverBox.checked) { button.hidden = true; say("audioSaver"); return; }
      button.hidden = !!ctx;
      say(ctx ? "audioPlaying" : "audioTap");
    }
    button.addEventListener("click", async () => {
      try { await start(); } catch { stats.errors += 1; say("audioUnsupported"); return; }
      show(live);
    });
    if (mute) mute.addEventListener("change", () => { if (gain) gain.gain.value = mute.checked ? 0 : 1; });
    if (saverBox) {
      saverBox.addEventListener("change", () => {
        localStorage.setItem(saverKey, saverBox.checked ? "1" : "0");
        send({ type: "audio.listen", on: !saverBox.checked });
        show(live);
      });
    }
    return {
      started: show,
      stopped: () => show(null),
      state: show,
      onBundle(buf) {
        stats.bundles += 1;
        if (!decoder || decoder.state !== "configured") return;
        const view = new DataView(buf);
        if (view.getUint8(0) !== 0x41) return;
        const capture = view.getUint32(5);
        const count = view.getUint8(9);
        let at = 10;
        for (let i = 0; i < count && at + 2 <= buf.byteLength; i++) {
          const len = view.getUint16(at);
          at += 2;
          const data = new Uint8Array(buf, at, len);
          at += len;
          const frameMs = (live && live.frame_ms) || 60;
          decoder.decode(new EncodedAudioChunk({ type: "key", timestamp: (capture + i * frameMs) * 1000, data }));
        }
      },
    };
  }

  function setupTeacher() {
    const button = box.querySelector(".audio-mic");
    const mute = box.querySelector("[name=mute]");
    const meter = box.querySelector("meter");
    let ctx = null;
    let stream = null;
    let encoder = null;
    let packets = [];
    let firstMs = 0;
    let seq = 0;
    let startedAt = 0;
    let samplesIn = 0;
    let kbps = 12;

    function params() {
      return { codec: "opus", sample_rate: RATE, channels: 1, frame_ms: 60, kbps };
    }
    async function micOn() {
      if (!("AudioEncoder" in window)) { say("audioNoEncoder"); return; }
      kbps = saverBox && saverBox.checked ? 8 : 12;
      stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
      ctx = new AudioContext({ sampleRate: RATE });
      await ctx.audioWorklet.addModule(box.dataset.worklet);
      const capture = new AudioWorkletNode(ctx, "lophoc-capture", { numberOfOutputs: 0 });
      ctx.createMediaStreamSource(stream).connect(capture);
      encoder = new AudioEncoder({
        output(chunk) {
          const bytes = new Uint8Array(chunk.byteLength);
          chunk.copyTo(bytes);
          if (!packets.length) firstMs = Math.round(chunk.timestamp / 1000);
          packets.push(bytes);
          if (packets.length >= BUNDLE_PACKETS) flush();
        },
        error() { stats.errors += 1; },
      });
      encoder.configure({ codec: "opus", sampleRate: RATE, numberOfChannels: 1, bitrate: kbps * 1000, opus: { frameDuration: 60000, application: "voip" } });
      seq = 0; samplesIn = 0; packets = [];
      startedAt = performance.now();
      capture.port.onmessage = (ev) => {
        const { samples, level } = ev.data;
        if (meter) meter.value = Math.min(1, level * 4);
        const timestamp = Math.round((samplesIn / RATE) * 1e6);
        samplesIn += samples.length;
        if (mute && mute.checked) return; // muted: nothing is sent
        encoder.encode(new AudioData({ format: "f32-planar", sampleRate: RATE, numberOfChannels: 1, numberOfFrames: samples.length, timestamp, data: samples }));
      };
      send({ type: "audio.start", ...params() });
      button.textContent = t("micOff");
      button.setAttribute("aria-pressed", "true");
      say("audioLive");
    }
    function flush() {
      const size = packets.reduce((n, p) => n + 2 + p.length, 10);
      const out = new Uint8Array(size);
      const view = new DataView(out.buffer);
      view.setUint8(0, 0x41);
      view.setUint32(1, seq);
      view.setUint32(5, firstMs);
      view.setUint8(9, packets.length);
      let at = 10;
      for (const p of packets) { view.setUint16(at, p.length); out.set(p, at + 2); at += 2 + p.length; }
      seq += 1;
      stats.bundles += 1;
      packets = [];
      sendBinary(out.buffer);
    }
    function micOff() {
      if (stream) stream.getTracks().forEach((tr) => tr.stop());
      if (ctx) ctx.close();
      if (encoder && encoder.state === "configured") encoder.close();
      stream = ctx = encoder = null;
      send({ type: "audio.stop" });
      button.textContent = t("micOn");
      button.setAttribute("aria-pressed", "false");
      if (meter) meter.value = 0;
      say("audioOff");
    }
    button.addEventListener("click", async () => {
      if (stream) { micOff(); return; }
      try { await micOn(); } catch { stats.errors += 1; say("audioNoMic"); }
    });
    return {
      started() {},
      stopped() {},
      // Back after a drop with the microphone on: the room's audio state
      // may have been lost with it; say again that we are speaking.
      state(audio) { if (stream && !audio) send({ type: "audio.start", ...params() }); },
      onBundle() {},
    };
  }

  return {
    onBundle: (buf) => api.onBundle(buf),
    // A data-saver join starts silent (section 6).
    query: () => (!teacher && saverBox && saverBox.checked ? "?data_saver=1" : ""),
  };
}
