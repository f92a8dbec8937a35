// The account corner of the header: in accounts mode, who is logged in and a "Log out" button.
// In local mode (one implicit user) it shows nothing. Pages that need a login get a 401 from the API,
// and api.js sends the browser to the login page.
import { api } from './api.js';
import { $, el } from './dom.js';

async function init() {
  const me = await api.me().catch(() => null);
  const header = $('.site-header');
  if (!header || !me || me.mode !== 'accounts') return;
  const logout = el('button', { type: 'button', class: 'button small', id: 'logout' }, 'Log out');
  logout.addEventListener('click', async () => {
    logout.disabled = true;
    await api.logout().catch(() => null);
    location.assign('/login.html');
  });
  header.append(el('div', { class: 'account' }, el('span', { class: 'muted small', id: 'account-email' },
    me.user.email), logout));
}

init();
