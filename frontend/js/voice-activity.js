// Local voice activity on the microphone level, to stop the interviewer's voice the moment the
// candidate starts talking (the server's VAD confirms later, but that is a round trip away).
// The bar adapts: above the room's noise floor, and while the interviewer's voice plays, above its
// echo in the microphone (speakers instead of headphones).

export class VoiceActivity {
  constructor({ frameMs = 20, minSpeechMs = 160 } = {}) {
    this.frameMs = frameMs;
    this.minSpeechMs = minSpeechMs;
    this.loudMs = 0;
    this.noiseFloor = 0.005;
    this.echoLevel = 0; // level while the voice plays and the candidate is quiet
  }

  /** Candidate speech for at least minSpeechMs. */
  get speaking() {
    return this.loudMs >= this.minSpeechMs;
  }

  /** Feed one frame's RMS; returns true while the candidate is speaking. */
  update(rms, { voicePlaying = false, muted = false } = {}) {
    const base = Math.max(0.03, this.noiseFloor * 4);
    const threshold = voicePlaying ? Math.max(base, this.echoLevel * 2.5) : base;
    if (!muted && rms > threshold) {
      this.loudMs += this.frameMs;
    } else {
      this.loudMs = 0;
      if (voicePlaying) this.echoLevel += (rms - this.echoLevel) * 0.05;
      else this.noiseFloor += (Math.min(rms, 0.05) - this.noiseFloor) * (rms < this.noiseFloor ? 0.2 : 0.01);
    }
    return this.speaking;
  }
}
