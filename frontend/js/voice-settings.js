// The "Interviewer voice" panel: voice, rate, on/off, and whether speaking cuts the voice (barge-in).
import { $, clear, el } from './dom.js';

export function setupVoiceSettings(speech, onBargeIn) {
  const select = $('#voice');
  const rate = $('#rate');
  const fill = () => {
    const voices = speech.voices();
    clear(
      select,
      ...voices.map((v) =>
        el('option', { value: v.name, selected: v === speech.voice }, `${v.name} (${v.lang})`),
      ),
    );
    select.disabled = voices.length === 0;
    $('#voice-note').textContent = !speech.supported
      ? "This browser cannot speak. The interviewer's replies appear as text."
      : voices.length === 0
        ? "No voices are installed on this system. The interviewer's replies appear as text."
        : '';
  };
  fill();
  speech.addEventListener('voices', fill);
  select.addEventListener('change', () => speech.setVoice(select.value));
  rate.value = String(speech.rate);
  $('#rate-out').textContent = `${speech.rate.toFixed(1)}×`;
  rate.addEventListener('input', () => {
    speech.setRate(rate.value);
    $('#rate-out').textContent = `${speech.rate.toFixed(1)}×`;
  });
  $('#voice-on').checked = speech.enabled;
  $('#voice-on').addEventListener('change', (e) => speech.setEnabled(e.target.checked));

  const bargeIn = $('#barge-in');
  bargeIn.checked = localStorage.getItem('viva.bargeIn') !== 'off';
  onBargeIn(bargeIn.checked);
  bargeIn.addEventListener('change', () => {
    localStorage.setItem('viva.bargeIn', bargeIn.checked ? 'on' : 'off');
    onBargeIn(bargeIn.checked);
  });
}
