// What the sections of /admin share: the confirmation dialog, busy buttons, readable failures and the words
// for MFA states and the rules behind them (ARCHITECTURE.md §4).
import { ApiFailure, el } from './web.js';

export const $ = (id) => document.getElementById(id);

const STATES = { disabled: 'Disabled', enabled: 'Enabled', enforced: 'Enforced' };

/** "enforced" → "Enforced". */
export function stateLabel(state) {
  return STATES[state] || state;
}

/** A rule name from the API (per_user, security_defaults, policy:<name>, none) in plain words. */
export function ruleLabel(rule, user) {
  if (rule === 'per_user') {
    return user ? `Per-user MFA status (${stateLabel(user.mfaState)})` : 'Per-user MFA status';
  }
  if (rule === 'security_defaults') {
    return 'Security defaults';
  }
  if (typeof rule === 'string' && rule.startsWith('policy:')) {
    return `Conditional Access policy “${rule.slice('policy:'.length)}”`;
  }
  return 'No rule';
}

/**
 * What happens when the person signs in, and why: {headline, reason, tone}. A user whose own status is Disabled
 * but whom another rule prompts reads "Required · by security defaults", never just "Disabled".
 */
export function describeEffective(user) {
  const effective = user.effectiveMfa || { required: false, reason: 'none' };
  if (effective.blocked) {
    return { headline: 'Blocked', reason: `by ${ruleLabel(effective.reason)}`, tone: 'blocked' };
  }
  if (!effective.required) {
    return { headline: 'Not required', reason: 'no rule asks for MFA', tone: 'off' };
  }
  return { headline: 'Required', reason: `by ${ruleLabel(effective.reason, user)}`, tone: 'on' };
}

/** A readable sentence for any failure; signs the person out to /sign-in when the session has ended. */
export function failureText(error) {
  if (error instanceof ApiFailure) {
    if (error.status === 401) {
      window.location.assign('/sign-in?next=/admin');
      return 'Your session has ended. Sign in again.';
    }
    return error.message;
  }
  return 'Something went wrong on our side. Try again in a moment.';
}

/** Shows a failure (or a sentence) in a role="alert" element. */
export function showFailure(element, error) {
  element.replaceChildren(typeof error === 'string' ? error : failureText(error));
  element.hidden = false;
}

export function hide(element) {
  element.replaceChildren();
  element.hidden = true;
}

export function say(element, text) {
  element.textContent = text;
}

/** Disables the button and shows a label while the work runs. */
export async function busy(button, label, work) {
  const before = button.textContent;
  button.disabled = true;
  button.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.textContent = before;
  }
}

/**
 * Asks before a change, in the page's own dialog (keyboard: Tab between the buttons, Escape cancels). Answers
 * true only for the confirm button.
 */
export function confirmAction({ title, text, items = [], confirmLabel = 'Confirm', danger = false }) {
  const dialog = $('confirm-dialog');
  $('confirm-heading').textContent = title;
  $('confirm-text').textContent = text;
  const list = $('confirm-list');
  list.replaceChildren(...items.map((item) => el('li', {}, item)));
  list.hidden = items.length === 0;
  const yes = $('confirm-yes');
  yes.textContent = confirmLabel;
  yes.classList.toggle('danger', danger);
  yes.classList.toggle('primary', !danger);
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), { once: true });
    dialog.showModal();
    $('confirm-no').focus();
  });
}

/** "23 Nov 2026, 09:05" in the browser's language. */
export function formatTime(iso) {
  if (!iso) {
    return '';
  }
  return new Date(iso).toLocaleString(undefined, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
  });
}

/** "alice, bob and carol". */
export function joinNames(names) {
  if (names.length <= 1) {
    return names.join('');
  }
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Splits "a, b c" into ["a", "b", "c"]. */
export function splitList(text) {
  return text.split(/[\s,;]+/).map((part) => part.trim()).filter((part) => part.length > 0);
}
