// Log in, or with ?signup=1 create an account (VIVA_AUTH=accounts). The session is an HttpOnly cookie
// set by the server; this page never sees it. After success, back to ?next= (a path on this site) or home.
import { api, safeNext } from './api.js';
import { $, notice } from './dom.js';

const query = new URLSearchParams(location.search);
const action = query.get('signup') ? 'signup' : 'login';
const next = safeNext(query.get('next'));

function setMode() {
  const signup = action === 'signup';
  const title = signup ? 'Create an account' : 'Log in';
  document.title = `${title} — Viva`;
  $('#auth-title').textContent = title;
  $('#submit').textContent = title;
  $('#password').autocomplete = signup ? 'new-password' : 'current-password';
  $('#password-hint').hidden = !signup;
  $('#other-text').textContent = signup ? 'Have an account?' : 'New here?';
  const other = $('#other-link');
  other.textContent = signup ? 'Log in' : 'Create an account';
  const params = new URLSearchParams(signup ? {} : { signup: '1' });
  if (next !== '/') params.set('next', next);
  other.href = `/login.html${params.size ? `?${params}` : ''}`;
}

function showError(message) {
  $('#auth-error').replaceChildren(notice('error', message));
}

async function init() {
  setMode();
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
