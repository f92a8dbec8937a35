// Log in / create an account (VIVA_AUTH=accounts). The session is an HttpOnly cookie set by the server;
// this page never sees it. After success, back to ?next= (a path on this site) or home.
import { api, safeNext } from './api.js';
import { $, notice } from './dom.js';

const action = document.body.dataset.action; // 'login' | 'signup'
const next = safeNext(new URLSearchParams(location.search).get('next'));

function showError(message) {
  $('#auth-error').replaceChildren(notice('error', message));
}

async function init() {
  const other = $('#other-link');
  if (next !== '/') other.href = `${other.pathname}?next=${encodeURIComponent(next)}`;
  const me = await api.me().catch(() => null);
  if (me && me.mode === 'local') {
    showError('This server runs without accounts (VIVA_AUTH=local): there is nothing to log in to.');
    $('#auth-form').hidden = true;
    return;
  }
  if (me) location.replace(next);
}

$('#auth-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const email = $('#email').value.trim();
  const password = $('#password').value;
  if (!email || !password) return showError('Enter your email and password.');
  if (action === 'signup' && password.length < 8) return showError('Use at least 8 characters for the password.');
  const button = $('#submit');
  button.disabled = true;
  try {
    await (action === 'signup' ? api.signup(email, password) : api.login(email, password));
    location.assign(next);
  } catch (err) {
    showError(err.status === 401 ? 'Wrong email or password.' : err.message);
    button.disabled = false;
  }
});

init();
