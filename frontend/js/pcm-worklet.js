// AudioWorklet processor: microphone blocks -> mono -> 16 kHz -> PCM16 frames posted to the page.
// Each message: {pcm: ArrayBuffer (Int16 LE, frameMs of audio), rms: number, peak: number}.
import { FrameChunker, Resampler, TARGET_RATE, floatToPcm16, rms } from './resampler.js';

class PcmCaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const frameMs = options?.processorOptions?.frameMs ?? 20;
    // `sampleRate` is the AudioContext's rate, a global of the worklet scope
    this.resampler = new Resampler(sampleRate, TARGET_RATE);
    this.chunker = new FrameChunker(Math.round((TARGET_RATE * frameMs) / 1000));
    this.mono = new Float32Array(128);
    this.running = true;
    this.port.onmessage = (e) => {
      if (e.data === 'stop') this.running = false;
    };
  }

  process(inputs) {
    const channels = inputs[0];
    if (!this.running) return false;
    if (!channels || channels.length === 0) return true;
    const n = channels[0].length;
    if (this.mono.length !== n) this.mono = new Float32Array(n);
    const mono = this.mono;
    if (channels.length === 1) {
      mono.set(channels[0]);
    } else {
      mono.fill(0);
      for (const ch of channels) for (let i = 0; i < n; i++) mono[i] += ch[i] / channels.length;
    }
    for (const frame of this.chunker.push(this.resampler.process(mono))) {
      let peak = 0;
      for (let i = 0; i < frame.length; i++) peak = Math.max(peak, Math.abs(frame[i]));
      const pcm = floatToPcm16(frame);
      this.port.postMessage({ pcm: pcm.buffer, rms: rms(frame), peak }, [pcm.buffer]);
    }
    return true;
  }
}

registerProcessor('pcm-capture', PcmCaptureProcessor);
