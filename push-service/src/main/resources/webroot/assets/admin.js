// /admin: who is signed in, the way in for admins only, and the sections (users, settings, Conditional Access,
// bulk update, activity), one shown at a time and chosen by the address's #fragment so links and Back work.
import { call, loadSession } from './web.js';
import { $, failureText, showFailure } from './admin-common.js';
import { initUsers } from './admin-users.js';
import { initSettings } from './admin-settings.js';
import { initPolicies } from './admin-policies.js';
import { initBulk } from './admin-bulk.js';
import { initActivity } from './admin-activity.js';
import { initRelyingParties } from './admin-rp.js';

const SECTIONS = {
  users: initUsers,
  settings: initSettings,
  policies: initPolicies,
  bulk: initBulk,
  activity: initActivity,
  'relying-parties': initRelyingParties,
};
const shown = new Map();   // section id → its refresh function, once the section has been opened

async function init() {
  let session;
  try {
    session = await loadSession();
  } catch (error) {
    $('loading').hidden = true;
    showFailure($('page-error'), error);
    return;
  }
  if (!session.signedIn) {
    window.location.replace('/sign-in?next=/admin');
    return;
  }
  $('loading').hidden = true;
  $('account-name').textContent = session.displayName || session.username;
  $('account').hidden = false;
  $('sign-out').addEventListener('click', signOut);
  if (session.role !== 'admin' || session.scope !== 'full') {
    if (session.role === 'admin') {
      $('only-admins-text').textContent = 'Your sign-in is not finished: register your Authenticator app in your '
          + 'security info, then sign in again to manage your organization.';
    }
    $('only-admins').hidden = false;
    return;
  }
  $('admin-nav').hidden = false;
  window.addEventListener('hashchange', route);
  route();
}

/** Shows the section named by the address (users when none), opening it on first use and refreshing it after. */
function route() {
  const wanted = window.location.hash.replace('#', '');
  const id = Object.hasOwn(SECTIONS, wanted) ? wanted : 'users';
  for (const name of Object.keys(SECTIONS)) {
    $(name).hidden = name !== id;
  }
  for (const link of document.querySelectorAll('#admin-nav a')) {
    if (link.dataset.section === id) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  if (shown.has(id)) {
    shown.get(id)();
  } else {
    shown.set(id, SECTIONS[id]());
  }
  if (wanted) {
    const heading = $(id).querySelector('h1');
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}

async function signOut() {
  try {
    await call('POST', '/web/sign-out');
    window.location.assign('/sign-in');
  } catch (error) {
    showFailure($('page-error'), failureText(error));
  }
}

init();
