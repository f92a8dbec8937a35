// Microphone capture: getUserMedia -> AudioWorklet (pcm-worklet.js) -> PCM16 16 kHz frames.
// Emits 'frame' events ({detail: {pcm: ArrayBuffer, rms, peak}}). Errors become a MicError with a
// `kind` the page turns into a clear message: denied | no-device | busy | unsupported | failed.

export class MicError extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

export const MIC_MESSAGES = {
  denied:
    "Microphone access was blocked. Allow the microphone for this site in your browser's address bar " +
    'settings and press "Try the microphone again" — or carry on by typing your answers below.',
  'no-device':
    'No microphone was found. Plug one in (or pick one in your system settings) and try again — ' +
    'or carry on by typing your answers below.',
  busy:
    'The microphone is in use by another application or could not be started. Close the other app and ' +
    'try again — or carry on by typing your answers below.',
  unsupported:
    'This browser cannot capture audio here (it needs getUserMedia and AudioWorklet over https or ' +
    'localhost). Use a current Chrome, Edge, Firefox or Safari — or carry on by typing your answers below.',
  failed: 'The microphone could not be started. Try again — or carry on by typing your answers below.',
};

export function micSupported() {
  return Boolean(
    window.isSecureContext &&
    navigator.mediaDevices?.getUserMedia &&
    window.AudioContext &&
    window.AudioWorkletNode,
  );
}

function classify(err) {
  switch (err?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'DevicesNotFoundError':
      return 'no-device';
    case 'NotReadableError':
    case 'AbortError':
    case 'TrackStartError':
      return 'busy';
    default:
      return 'failed';
  }
}

export class MicCapture extends EventTarget {
  constructor({ frameMs = 20 } = {}) {
    super();
    this.frameMs = frameMs;
    this.stream = null;
    this.ctx = null;
    this.node = null;
    this.muted = false;
  }

  get active() {
    return Boolean(this.stream);
  }

  get inputRate() {
    return this.ctx?.sampleRate ?? null;
  }

  async start() {
    if (!micSupported()) throw new MicError('unsupported', MIC_MESSAGES.unsupported);
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
    } catch (err) {
      const kind = classify(err);
      throw new MicError(kind, MIC_MESSAGES[kind]);
    }
    try {
      const ctx = new AudioContext();
      await ctx.audioWorklet.addModule(new URL('./pcm-worklet.js', import.meta.url));
      const source = ctx.createMediaStreamSource(stream);
      const node = new AudioWorkletNode(ctx, 'pcm-capture', {
        numberOfInputs: 1,
        numberOfOutputs: 1,
        outputChannelCount: [1],
        processorOptions: { frameMs: this.frameMs },
      });
      // a silent path to the destination keeps the graph pulled in every browser
      const sink = ctx.createGain();
      sink.gain.value = 0;
      source.connect(node).connect(sink).connect(ctx.destination);
      node.port.onmessage = (e) => this.dispatchEvent(new CustomEvent('frame', { detail: e.data }));
      if (ctx.state === 'suspended') await ctx.resume();
      this.stream = stream;
      this.ctx = ctx;
      this.node = node;
      for (const track of stream.getAudioTracks()) {
        track.addEventListener('ended', () => this.dispatchEvent(new Event('ended')));
      }
      this.setMuted(this.muted);
    } catch (err) {
      stream.getTracks().forEach((t) => t.stop());
      throw new MicError('unsupported', `${MIC_MESSAGES.unsupported} (${err?.name ?? 'error'})`);
    }
  }

  /** Muted: the track yields silence, so frames keep flowing and the server's clock stays true. */
  setMuted(muted) {
    this.muted = muted;
    this.stream?.getAudioTracks().forEach((t) => {
      t.enabled = !muted;
    });
  }

  async stop() {
    this.node?.port.postMessage('stop');
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    const ctx = this.ctx;
    this.ctx = null;
    this.node = null;
    if (ctx && ctx.state !== 'closed') await ctx.close().catch(() => {});
  }
}
