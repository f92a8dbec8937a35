"""The resampler and the capture worklet, run in Chromium against known signals.

frontend/js/resampler.js is the module the AudioWorklet imports; these tests import the same file.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

ANALYSE = """
async ({inRate, freq, amp, seconds, block}) => {
  const m = await import('/js/resampler.js');
  const n = Math.round(inRate * seconds);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin(2 * Math.PI * freq * i / inRate);
  // streaming, in worklet-sized blocks
  const r = new m.Resampler(inRate, 16000);
  const parts = [];
  for (let i = 0; i < n; i += block) parts.push(r.process(x.subarray(i, i + block)));
  parts.push(r.flush());
  const y = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { y.set(p, o); o += p.length; }
  const whole = m.resampleAll(x, inRate, 16000);
  let maxDiff = whole.length === y.length ? 0 : Infinity;
  for (let i = 0; i < Math.min(y.length, whole.length); i++) {
    maxDiff = Math.max(maxDiff, Math.abs(y[i] - whole[i]));
  }
  const pcm = m.floatToPcm16(y);
  // analyse the middle, away from the filter's start-up and tail
  const a = Math.round(0.1 * 16000), b = y.length - Math.round(0.1 * 16000);
  let crossings = 0, peak = 0, sumSq = 0, wrapped = 0;
  for (let i = a; i < b; i++) {
    if ((pcm[i - 1] < 0) !== (pcm[i] < 0)) crossings++;
    peak = Math.max(peak, Math.abs(pcm[i]));
    sumSq += (pcm[i] / 32768) ** 2;
    if (Math.abs(y[i]) > 0.01 && Math.sign(y[i]) !== Math.sign(pcm[i])) wrapped++;
  }
  const dur = (b - a) / 16000;
  return {
    length: y.length, expected: Math.ceil(n * 16000 / inRate), maxDiff,
    freq: crossings / 2 / dur, peak: peak / 32767, rms: Math.sqrt(sumSq / (b - a)),
    max: Math.max(...pcm), min: Math.min(...pcm), wrapped,
  };
}
"""


@pytest.fixture(scope="module")
def page(live_server, playwright_instance):
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    browser = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    page = browser.new_page()
    page.goto(f"{live_server.url}/progress.html")
    yield page
    browser.close()


SINES = [(48000, 440.0), (48000, 3000.0), (44100, 1000.0), (44100, 6000.0), (22050, 800.0),
         (16000, 1000.0), (8000, 500.0)]


@pytest.mark.parametrize(("in_rate", "freq"), SINES)
def test_sine_is_resampled_to_16k(page, in_rate, freq):
    r = page.evaluate(ANALYSE, {"inRate": in_rate, "freq": freq, "amp": 0.5, "seconds": 1.0, "block": 128})
    assert r["length"] == r["expected"] == 16000
    assert r["maxDiff"] < 1e-5, "streaming in 128-sample blocks must equal resampling in one go"
    assert r["freq"] == pytest.approx(freq, rel=0.005)
    assert r["peak"] == pytest.approx(0.5, abs=0.01)
    assert r["rms"] == pytest.approx(0.5 / 2 ** 0.5, rel=0.01)


@pytest.mark.parametrize("block", [1, 127, 441, 4800])
def test_any_block_size_gives_the_same_length(page, block):
    r = page.evaluate(ANALYSE, {"inRate": 44100, "freq": 1000.0, "amp": 0.5, "seconds": 0.73, "block": block})
    assert r["length"] == r["expected"] == round(0.73 * 44100 * 16000 / 44100)
    assert r["maxDiff"] < 1e-5


@pytest.mark.parametrize("in_rate", [48000, 44100])
def test_tones_above_8khz_are_filtered_not_aliased(page, in_rate):
    # 12 kHz cannot exist at 16 kHz; without the low-pass it would fold down to 4 kHz at full level
    r = page.evaluate(ANALYSE, {"inRate": in_rate, "freq": 12000.0, "amp": 0.5, "seconds": 1.0, "block": 128})
    assert r["rms"] < 0.5 / 2 ** 0.5 * 0.01, "at least 40 dB down"


def test_pcm16_clips_instead_of_wrapping(page):
    r = page.evaluate(ANALYSE, {"inRate": 48000, "freq": 440.0, "amp": 1.5, "seconds": 1.0, "block": 128})
    assert r["max"] == 32767
    assert r["min"] == -32768
    assert r["wrapped"] == 0
    edges = page.evaluate("""async () => {
      const m = await import('/js/resampler.js');
      return Array.from(m.floatToPcm16(new Float32Array([0, 1, -1, 2, -2, 0.5, -0.5, NaN])));
    }""")
    assert edges == [0, 32767, -32768, 32767, -32768, 16384, -16384, 0]


def test_frame_chunker_cuts_exact_frames(page):
    sizes = page.evaluate("""async () => {
      const m = await import('/js/resampler.js');
      const c = new m.FrameChunker(320);
      const out = [];
      for (const n of [100, 300, 500, 60, 1000]) {
        out.push(...c.push(new Float32Array(n)).map((f) => f.length));
      }
      return {frames: out, left: c.fill};
    }""")
    assert sizes == {"frames": [320] * 6, "left": 1960 - 6 * 320}


def test_worklet_posts_20ms_pcm16_frames(page):
    """The real worklet in an OfflineAudioContext at 44.1 kHz: 1 kHz tone in, 640-byte frames out."""
    r = page.evaluate("""async () => {
      const ctx = new OfflineAudioContext(1, 44100, 44100);
      await ctx.audioWorklet.addModule('/js/pcm-worklet.js');
      const node = new AudioWorkletNode(ctx, 'pcm-capture', {processorOptions: {frameMs: 20}});
      const frames = [];
      node.port.onmessage = (e) => frames.push(e.data);
      const osc = new OscillatorNode(ctx, {frequency: 1000});
      const gain = new GainNode(ctx, {gain: 0.25});
      osc.connect(gain).connect(node).connect(ctx.destination);
      osc.start();
      await ctx.startRendering();
      await new Promise((res) => setTimeout(res, 300));
      const pcm = frames.flatMap((f) => Array.from(new Int16Array(f.pcm)));
      let crossings = 0;
      for (let i = 1601; i < pcm.length; i++) if ((pcm[i - 1] < 0) !== (pcm[i] < 0)) crossings++;
      return {bytes: [...new Set(frames.map((f) => f.pcm.byteLength))], count: frames.length,
              freq: crossings / 2 / ((pcm.length - 1601) / 16000), peak: Math.max(...pcm) / 32767,
              rms: frames[frames.length - 1].rms};
    }""")
    assert r["bytes"] == [640]
    assert 48 <= r["count"] <= 50  # 1 s of audio, less the filter's look-ahead
    assert r["freq"] == pytest.approx(1000, rel=0.01)
    assert r["peak"] == pytest.approx(0.25, abs=0.01)
    assert r["rms"] == pytest.approx(0.25 / 2 ** 0.5, rel=0.02)
