// Settings: security defaults, app passwords and "Don't ask again" days. Switching security defaults on while a
// Conditional Access policy is enabled is refused by the service with a message that names the policy.
import { ApiFailure, call, el } from './web.js';
import { $, busy, confirmAction, hide, say, showFailure } from './admin-common.js';

let saved = null;   // the settings as the service last answered them
let edited = false; // the form has changes not saved yet: a refresh must not undo them

export function initSettings() {
  $('settings-form').addEventListener('submit', save);
  $('settings-form').addEventListener('input', () => {
    edited = true;
  });
  load();
  return () => load();
}

async function load() {
  try {
    const settings = await call('GET', '/api/v1/admin/settings');
    if (edited) {
      saved = settings;
    } else {
      show(settings);
    }
  } catch (error) {
    showFailure($('settings-error'), error);
  }
}

function show(settings) {
  saved = settings;
  edited = false;
  $('security-defaults').checked = settings.securityDefaults;
  $('app-passwords-allowed').checked = settings.appPasswordsAllowed;
  $('remember-days').value = String(settings.rememberMfaDays);
  $('number-digits').value = String(settings.numberDigits);
  $('nist-profile').checked = settings.nistProfile === true;
  $('push-limit').value = String(settings.pushLimitPer10Minutes);
}

async function save(event) {
  event.preventDefault();
  hide($('settings-error'));
  say($('settings-status'), '');
  const daysText = $('remember-days').value.trim();
  const days = Number(daysText);
  if (!/^[0-9]{1,3}$/.test(daysText) || days > 365) {
    showFailure($('settings-error'), 'Enter a whole number of days from 0 to 365.');
    $('remember-days').focus();
    return;
  }
  const digits = Number($('number-digits').value.trim());
  const pushLimit = Number($('push-limit').value.trim());
  if (!Number.isInteger(pushLimit) || pushLimit < 1) {
    showFailure($('settings-error'), 'Enter a whole number of sign-in requests, at least 1.');
    $('push-limit').focus();
    return;
  }
  const nistProfile = $('nist-profile').checked;
  const change = {
    securityDefaults: $('security-defaults').checked,
    appPasswordsAllowed: $('app-passwords-allowed').checked,
    rememberMfaDays: days,
    nistProfile,
    pushLimitPer10Minutes: pushLimit,
  };
  if (!(nistProfile && saved && !saved.nistProfile)) {
    // switching the profile on sets 6 digits; otherwise the field says how many
    change.numberDigits = digits;
  }
  if (saved && saved.securityDefaults && !change.securityDefaults) {
    const ok = await confirmAction({
      title: 'Switch security defaults off?',
      text: 'People will no longer be asked for MFA by security defaults. Only their per-user MFA status and your '
          + 'Conditional Access policies will ask for it, and older apps may sign in with app passwords.',
      confirmLabel: 'Switch off',
      danger: true,
    });
    if (!ok) {
      return;
    }
  }
  try {
    const answer = await busy($('settings-save'), 'Saving…', () => call('PUT', '/api/v1/admin/settings', change));
    show(answer);
    say($('settings-status'), 'Settings saved.');
  } catch (error) {
    showFailure($('settings-error'), error);
    if (error instanceof ApiFailure && error.status === 409 && saved) {
      // show what is really in force, not the refused change, and the way to the policies
      $('security-defaults').checked = saved.securityDefaults;
      $('settings-error').append(' ', el('a', { href: '#policies' }, 'Open Conditional Access'));
    }
  }
}
