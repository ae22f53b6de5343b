// The panel of one person: the MFA asked at sign-in with every rule that applies, their devices (delete a lost
// one), app passwords (delete one, or all of them), failed attempts, and "Manage user settings".
import { call, el, formatDate } from './web.js';
import {
  $, busy, confirmAction, describeEffective, failureText, hide, ruleLabel, say, showFailure, stateLabel,
} from './admin-common.js';

const ACTIONS = {
  require_reregistration: {
    title: 'Require re-registration?',
    text: 'Every registered device of this person is removed at once. They set up the Authenticator app again at '
        + 'their next sign-in.',
    confirm: 'Require re-registration',
    done: (answer) => `${count(answer.devicesRemoved, 'device')} removed. They will register again at their next `
        + 'sign-in.',
  },
  delete_app_passwords: {
    title: 'Delete all app passwords?',
    text: 'Older apps that sign in with these passwords stop working until the person creates new ones.',
    confirm: 'Delete app passwords',
    done: (answer) => `${count(answer.appPasswordsDeleted, 'app password')} deleted.`,
  },
  revoke_remembered_devices: {
    title: 'Restore MFA on remembered devices?',
    text: '"Don\'t ask again" stops working on every device: the next sign-in asks for MFA again.',
    confirm: 'Restore MFA',
    done: (answer) => `MFA restored on ${count(answer.rememberedDevicesRevoked, 'remembered device')}.`,
  },
  clear_lockout: {
    title: 'Unlock this account?',
    text: 'The account was locked after too many failed passwords, codes or numbers. Unlock it only when you '
        + 'know the person made them.',
    confirm: 'Unlock',
    done: (answer) => (answer.lockoutCleared ? 'The account is unlocked.' : 'The account was not locked.'),
  },
  clear_push_suspension: {
    title: 'Resume sign-in notifications?',
    text: 'Notifications were paused because a sign-in was reported as "not me". Resume them once you know '
        + 'the account is safe (for example after a password change).',
    confirm: 'Resume notifications',
    done: (answer) => (answer.pushSuspensionCleared ? 'Notifications resumed.' : 'Notifications were not paused.'),
  },
  revoke_sessions: {
    title: 'Sign out of all sessions?',
    text: 'Every browser and app this person is signed in to has to sign in again.',
    confirm: 'Sign out everywhere',
    done: (answer) => `${count(answer.sessionsRevoked, 'session')} ended.`,
  },
};

let current = null;      // {username, onChange}
let wired = false;

function count(n, noun) {
  const number = typeof n === 'number' ? n : 0;
  return `${number} ${noun}${number === 1 ? '' : 's'}`;
}

/** Opens the panel for {@code username}; {@code onChange} runs after anything in it changed the user. */
export async function openUser(username, onChange) {
  wire();
  current = { username, onChange };
  const dialog = $('user-dialog');
  $('user-dialog-heading').textContent = username;
  say($('user-dialog-sub'), '');
  say($('user-dialog-status'), '');
  hide($('user-dialog-error'));
  for (const id of ['user-effective', 'user-rules', 'user-facts', 'user-devices', 'user-app-passwords']) {
    $(id).replaceChildren();
  }
  if (!dialog.open) {
    dialog.showModal();
  }
  $('user-dialog-close').focus();
  await refresh();
}

function wire() {
  if (wired) {
    return;
  }
  wired = true;
  $('user-dialog-close').addEventListener('click', () => $('user-dialog').close());
  for (const button of document.querySelectorAll('#user-dialog [data-action]')) {
    button.addEventListener('click', () => act(button, button.dataset.action));
  }
}

async function refresh() {
  const username = current.username;
  try {
    const detail = await call('GET', `/api/v1/admin/users/${encodeURIComponent(username)}`);
    if (!current || current.username !== username) {
      return;
    }
    render(detail);
  } catch (error) {
    showFailure($('user-dialog-error'), error);
  }
}

function render(detail) {
  $('user-dialog-heading').textContent = detail.displayName || detail.username;
  say($('user-dialog-sub'), `${detail.username} · ${detail.role === 'admin' ? 'Admin' : 'User'}`);
  const effective = describeEffective(detail);
  $('user-effective').replaceChildren(
      el('span', { class: `pill pill-${effective.tone}` }, effective.headline), ` ${effective.reason}.`);
  const rules = detail.rules || [];
  const deciding = detail.effectiveMfa ? detail.effectiveMfa.reason : 'none';
  $('user-rules').replaceChildren(...(rules.length === 0
      ? [el('li', {}, 'No rule asks this person for MFA.')]
      : rules.map((rule) => el('li', {}, ruleLabel(rule, detail),
          rule === deciding ? el('span', { class: 'decides' }, ' (decides)') : null))));
  const active = (detail.devices || []).filter((device) => device.state !== 'removed');
  $('user-facts').replaceChildren(
      el('dt', {}, 'MFA status'), el('dd', {}, stateLabel(detail.mfaState)),
      el('dt', {}, 'Sign-in methods'), el('dd', {}, detail.methodsRegistered
          ? count(detail.methodsRegistered, 'registered device') : 'None registered'),
      el('dt', {}, 'App passwords'), el('dd', {}, String(detail.appPasswordCount ?? 0)),
      el('dt', {}, 'Failed MFA attempts'), el('dd', {}, String(detail.failedMfaAttempts ?? 0)),
      el('dt', {}, 'Account'), el('dd', {}, detail.lockedOut ? 'Locked after too many failed attempts' : 'Not locked'),
      el('dt', {}, 'Notifications'), el('dd', {}, detail.pushSuspended ? 'Paused after a fraud report' : 'On'));
  $('user-clear-lockout').hidden = !detail.lockedOut;
  $('user-clear-push').hidden = !detail.pushSuspended;
  $('user-devices').replaceChildren(...active.map(deviceItem));
  $('user-no-devices').hidden = active.length > 0;
  const appPasswords = detail.appPasswords || [];
  $('user-app-passwords').replaceChildren(...appPasswords.map(appPasswordItem));
  $('user-no-app-passwords').hidden = appPasswords.length > 0;
}

function appPasswordItem(appPassword) {
  const remove = el('button', { type: 'button', class: 'danger small',
    'aria-label': `Delete app password ${appPassword.name}` }, 'Delete');
  remove.addEventListener('click', () => deleteAppPassword(remove, appPassword));
  const facts = [`created ${formatDate(appPassword.createdAt)}`,
    appPassword.lastUsedAt ? `last used ${formatDate(appPassword.lastUsedAt)}` : 'never used'];
  return el('li', { class: 'device app-password', 'data-app-password-id': appPassword.id },
      el('div', { class: 'device-text' },
          el('span', { class: 'device-name' }, appPassword.name),
          el('span', { class: 'muted' }, facts.join(' · '))),
      remove);
}

async function deleteAppPassword(button, appPassword) {
  const ok = await confirmAction({
    title: `Delete the app password “${appPassword.name}”?`,
    text: 'The older app that signs in with it stops working until the person creates a new one. Their other app '
        + 'passwords keep working.',
    confirmLabel: 'Delete app password',
    danger: true,
  });
  if (!ok) {
    return;
  }
  hide($('user-dialog-error'));
  try {
    await busy(button, 'Deleting…', () => call('DELETE', `/api/v1/admin/users/${encodeURIComponent(current.username)}`
        + `/app-passwords/${encodeURIComponent(appPassword.id)}`));
    say($('user-dialog-status'), `The app password “${appPassword.name}” was deleted.`);
  } catch (error) {
    showFailure($('user-dialog-error'), failureText(error));
  }
  await refresh();
  current.onChange();
}

function deviceItem(device) {
  const name = device.name || 'Unnamed device';
  const remove = el('button', { type: 'button', class: 'danger small', 'aria-label': `Delete device ${name}` },
      'Delete');
  remove.addEventListener('click', () => deleteDevice(remove, device));
  const facts = [device.platform, device.state === 'verified' ? 'verified' : 'not verified yet',
    `added ${formatDate(device.createdAt)}`];
  if (device.lastUsedAt) {
    facts.push(`last used ${formatDate(device.lastUsedAt)}`);
  }
  if (device.connected) {
    facts.push('online now');
  }
  return el('li', { class: 'device', 'data-device-id': device.deviceId },
      el('div', { class: 'device-text' },
          el('span', { class: 'device-name' }, name),
          el('span', { class: 'muted' }, facts.filter(Boolean).join(' · '))),
      remove);
}

async function deleteDevice(button, device) {
  const ok = await confirmAction({
    title: `Delete “${device.name || 'this device'}”?`,
    text: 'Use this for a lost or stolen phone. The device is signed out at once and can no longer approve '
        + 'sign-ins; anything it was asked to approve is cancelled.',
    confirmLabel: 'Delete device',
    danger: true,
  });
  if (!ok) {
    return;
  }
  hide($('user-dialog-error'));
  try {
    await busy(button, 'Deleting…', () => call('DELETE', `/api/v1/admin/devices/${encodeURIComponent(device.deviceId)}`));
    say($('user-dialog-status'), `“${device.name || 'The device'}” was deleted.`);
  } catch (error) {
    showFailure($('user-dialog-error'), failureText(error));
  }
  await refresh();
  current.onChange();
}

async function act(button, action) {
  const words = ACTIONS[action];
  const ok = await confirmAction({
    title: words.title, text: words.text, confirmLabel: words.confirm, danger: true,
  });
  if (!ok) {
    return;
  }
  hide($('user-dialog-error'));
  say($('user-dialog-status'), '');
  try {
    const answer = await busy(button, 'Working…', () => call('POST',
        `/api/v1/admin/users/${encodeURIComponent(current.username)}/actions`, { action }));
    say($('user-dialog-status'), words.done(answer));
  } catch (error) {
    showFailure($('user-dialog-error'), failureText(error));
  }
  await refresh();
  current.onChange();
}
