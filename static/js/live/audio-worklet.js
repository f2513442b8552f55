// Audio worklets of the live room (docs/live-protocol.md section 6).
// "lophoc-capture": the teacher's microphone in 60 ms blocks (2,880 samples
// at 48 kHz) for the encoder, with the block's level for the meter.
// "lophoc-player": a student's ring buffer of decoded speech, played from
// 300 ms ahead and never more than 600 ms behind the live edge.

const RATE = 48000;

class Capture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(2880);
    this.filled = 0;
  }
  process(inputs) {
    const input = inputs[0] && inputs[0][0];
    if (!input) return true;
    let at = 0;
    while (at < input.length) {
      const n = Math.min(input.length - at, this.block.length - this.filled);
      this.block.set(input.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === this.block.length) {
        let sum = 0;
        for (const v of this.block) sum += v * v;
        this.port.postMessage({ samples: this.block, level: Math.sqrt(sum / this.block.length) }, [this.block.buffer]);
        this.block = new Float32Array(2880);
        this.filled = 0;
      }
    }
    return true;
  }
}

class Player extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ring = new Float32Array(RATE * 2);
    this.read = 0;
    this.write = 0;
    this.playing = false;
    this.played = 0;
    this.heard = 0;
    this.reported = 0;
    this.port.onmessage = (ev) => this.push(ev.data);
  }
  get buffered() { return (this.write - this.read + this.ring.length) % this.ring.length; }
  push(samples) {
    for (const v of samples) {
      this.ring[this.write] = v;
      this.write = (this.write + 1) % this.ring.length;
      if (this.write === this.read) this.read = (this.read + 1) % this.ring.length;
    }
    // Behind the live edge (a stall, then a burst): skip back to 300 ms.
    if (this.buffered > RATE * 0.6) this.read = (this.write - RATE * 0.3 + this.ring.length) % this.ring.length;
  }
  process(_inputs, outputs) {
    const out = outputs[0][0];
    if (!this.playing && this.buffered >= RATE * 0.3) this.playing = true;
    if (this.playing && this.buffered < out.length) this.playing = false; // underrun: refill first
    for (let i = 0; i < out.length; i++) {
      if (this.playing) {
        out[i] = this.ring[this.read];
        this.read = (this.read + 1) % this.ring.length;
        this.played += 1;
        if (out[i] > 0.01 || out[i] < -0.01) this.heard += 1;
      } else out[i] = 0;
    }
    if (this.played - this.reported >= RATE / 10) {
      this.reported = this.played;
      this.port.postMessage({ played: this.played, heard: this.heard, buffered: this.buffered });
    }
    return true;
  }
}

registerProcessor("lophoc-capture", Capture);
registerProcessor("lophoc-player", Player);
