// Streaming resampler (any input rate -> 16 kHz) and PCM16 conversion.
// A plain ES module with no DOM use: the AudioWorklet (pcm-worklet.js) and the browser tests share it.
//
// Method: windowed-sinc interpolation. Each output sample is a weighted sum of the input samples
// around its position; the kernel is a Blackman-windowed sinc whose cutoff sits just below the
// lower of the two Nyquist frequencies, so downsampling low-passes (no aliasing) and upsampling
// interpolates. Weights are normalised per output sample (exact unity gain at DC).
// State (a little history) is kept between calls, so feeding 128-sample worklet blocks gives the
// same output as feeding the whole signal at once.

export const TARGET_RATE = 16000;
const TABLE_RES = 64; // kernel table entries per input sample (linear interpolation in between)

function buildKernel(cutoff, half) {
  const size = half * TABLE_RES + 2;
  const table = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const d = i / TABLE_RES;
    if (d >= half) break;
    const x = cutoff * d;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const w = 0.42 + 0.5 * Math.cos((Math.PI * d) / half) + 0.08 * Math.cos((2 * Math.PI * d) / half);
    table[i] = cutoff * sinc * w;
  }
  return table;
}

export class Resampler {
  /**
   * @param {number} inRate input sample rate (Hz)
   * @param {number} [outRate=16000] output sample rate (Hz)
   * @param {{zeroCrossings?: number, rolloff?: number}} [opts] kernel half-width in sinc lobes; cutoff
   *   as a share of the lower Nyquist frequency
   */
  constructor(inRate, outRate = TARGET_RATE, { zeroCrossings = 16, rolloff = 0.92 } = {}) {
    if (!(inRate > 0) || !(outRate > 0)) throw new RangeError(`bad sample rates ${inRate} -> ${outRate}`);
    this.inRate = inRate;
    this.outRate = outRate;
    this.step = inRate / outRate; // input samples per output sample
    this.cutoff = Math.min(1, outRate / inRate) * rolloff; // relative to the input Nyquist
    this.half = Math.ceil(zeroCrossings / this.cutoff); // kernel half-width, input samples
    this.kernel = buildKernel(this.cutoff, this.half);
    this.buf = new Float32Array(this.half); // history: `half` zeros before the first sample
    this.pos = this.half; // position (in buf) of the next output sample
    this.inputTotal = 0;
    this.outputTotal = 0;
  }

  /** Resample the next block of float samples; returns the output samples ready so far. */
  process(input) {
    this.inputTotal += input.length;
    return this._run(input, Infinity);
  }

  /** Emit what is still held back (pads with zeros); the stream is then complete. */
  flush() {
    const expected = Math.ceil(this.inputTotal / this.step - 1e-9);
    const out = this._run(new Float32Array(this.half + 1), expected - this.outputTotal);
    return out;
  }

  _run(input, limit) {
    const buf = new Float32Array(this.buf.length + input.length);
    buf.set(this.buf);
    buf.set(input, this.buf.length);
    const half = this.half;
    const last = buf.length - 1;
    const count = Math.max(0, Math.min(limit, Math.floor((last - half - this.pos) / this.step) + 1));
    const out = new Float32Array(count);
    const kernel = this.kernel;
    let pos = this.pos;
    for (let n = 0; n < count; n++) {
      const lo = Math.ceil(pos - half);
      const hi = Math.floor(pos + half);
      let acc = 0;
      let wsum = 0;
      for (let i = lo; i <= hi; i++) {
        const t = Math.abs(i - pos) * TABLE_RES;
        const k = t | 0;
        const w = kernel[k] + (kernel[k + 1] - kernel[k]) * (t - k);
        acc += buf[i] * w;
        wsum += w;
      }
      out[n] = wsum !== 0 ? acc / wsum : 0;
      pos += this.step;
    }
    this.outputTotal += count;
    // keep only the history the next output still needs
    const keepFrom = Math.max(0, Math.floor(pos - half) - 1);
    this.buf = buf.slice(keepFrom);
    this.pos = pos - keepFrom;
    return out;
  }
}

/** Float samples in [-1, 1] -> PCM16 (values outside the range clip; NaN becomes 0). */
export function floatToPcm16(samples, out = new Int16Array(samples.length)) {
  for (let i = 0; i < samples.length; i++) {
    let s = samples[i];
    if (s !== s) s = 0;
    else if (s > 1) s = 1;
    else if (s < -1) s = -1;
    out[i] = s < 0 ? Math.round(s * 32768) : Math.round(s * 32767);
  }
  return out;
}

/** Resample a whole signal in one go (tests, offline use). */
export function resampleAll(samples, inRate, outRate = TARGET_RATE) {
  const r = new Resampler(inRate, outRate);
  const a = r.process(samples);
  const b = r.flush();
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Cuts a stream of samples into fixed-size frames (e.g. 320 samples = 20 ms at 16 kHz). */
export class FrameChunker {
  constructor(frameSize) {
    this.frameSize = frameSize;
    this.pending = new Float32Array(frameSize);
    this.fill = 0;
  }

  /** Adds samples; returns the complete frames (Float32Array each). */
  push(samples) {
    const frames = [];
    let i = 0;
    while (i < samples.length) {
      const take = Math.min(this.frameSize - this.fill, samples.length - i);
      this.pending.set(samples.subarray(i, i + take), this.fill);
      this.fill += take;
      i += take;
      if (this.fill === this.frameSize) {
        frames.push(this.pending);
        this.pending = new Float32Array(this.frameSize);
        this.fill = 0;
      }
    }
    return frames;
  }
}

/** Root mean square of a block of float samples (for the level meter and local voice activity). */
export function rms(samples) {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  return samples.length ? Math.sqrt(sum / samples.length) : 0;
}
