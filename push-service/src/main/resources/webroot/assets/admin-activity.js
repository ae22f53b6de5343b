// Activity: the audit log filtered by person, type and dates, newest first, a page at a time ("Older" follows the
// service's next cursor), and the same filter as a CSV download of every matching event.
import { call, el } from './web.js';
import { $, busy, formatTime, hide, say, showFailure } from './admin-common.js';

const LIMIT = 200;
const TYPES = {
  sign_in: 'Sign-in',
  'sign_in.password': 'Sign-in: password',
  'sign_in.mfa': 'Sign-in: MFA',
  'registration.started': 'Registration started',
  'registration.activated': 'App registered',
  'registration.test': 'Test notification',
  'registration.test_resent': 'Test notification sent again',
  'device.removed': 'Device deleted',
  'app_password.created': 'App password created',
  'app_password.deleted': 'App password deleted',
  'session.signed_out_everywhere': 'Signed out everywhere',
  'admin.user_created': 'User created',
  'admin.mfa_state_changed': 'MFA status changed',
  'admin.bulk_mfa': 'Bulk update',
  'admin.user_action': 'User settings managed',
  'admin.settings_changed': 'Settings changed',
  'admin.policy_created': 'Policy created',
  'admin.policy_updated': 'Policy changed',
  'admin.policy_deleted': 'Policy deleted',
  'admin.forbidden': 'Admin page refused',
  'rp_client.created': 'Relying party created',
  'rp_client.revoked': 'Relying party revoked',
};

// The page shown: its cursor (null for the newest), how many events came before it, and the next page's cursor.
const paging = { before: null, shownBefore: 0, next: null, lastCount: 0 };

export function initActivity() {
  $('activity-form').addEventListener('submit', (event) => {
    event.preventDefault();
    load($('activity-show'));
  });
  $('activity-older').addEventListener('click', () => load($('activity-older'), paging.next));
  $('activity-newest').addEventListener('click', () => load($('activity-newest')));
  for (const id of ['activity-user', 'activity-type', 'activity-from', 'activity-to']) {
    $(id).addEventListener('change', updateExport);
  }
  $('activity-user').addEventListener('input', updateExport);
  updateExport();
  load();
  return () => load();
}

/** The filter as query parameters; dates are whole days in the browser's time zone. */
function filter() {
  const params = new URLSearchParams();
  const user = $('activity-user').value.trim();
  if (user) {
    params.set('user', user);
  }
  if ($('activity-type').value) {
    params.set('type', $('activity-type').value);
  }
  const from = $('activity-from').value;
  if (from) {
    params.set('from', new Date(`${from}T00:00:00`).toISOString());
  }
  const to = $('activity-to').value;
  if (to) {
    params.set('to', new Date(`${to}T23:59:59.999`).toISOString());
  }
  return params;
}

/** The export is every event that matches the filter, however many: no limit, no page. */
function updateExport() {
  const params = filter();
  params.set('format', 'csv');
  $('activity-export').href = `/api/v1/admin/activity?${params}`;
}

/** Loads the newest page, or with {@code before} the page older than the one shown. */
async function load(button, before = null) {
  hide($('activity-error'));
  updateExport();
  const params = filter();
  params.set('limit', String(LIMIT));
  if (before) {
    params.set('before', before);
  }
  const fetchEvents = () => call('GET', `/api/v1/admin/activity?${params}`);
  const table = $('activity-table');
  table.setAttribute('aria-busy', 'true');
  try {
    const answer = await (button ? busy(button, 'Loading…', fetchEvents) : fetchEvents());
    const events = answer.events || [];
    paging.shownBefore = before ? paging.shownBefore + paging.lastCount : 0;
    paging.before = before;
    paging.next = answer.next || null;
    paging.lastCount = events.length;
    $('activity-rows').replaceChildren(...events.map(row));
    $('activity-older').hidden = !paging.next;
    $('activity-newest').hidden = !paging.before;
    say($('activity-status'), status(events.length));
  } catch (error) {
    showFailure($('activity-error'), error);
  } finally {
    table.removeAttribute('aria-busy');
  }
}

function status(count) {
  if (count === 0) {
    return paging.before ? 'No older events match this filter.' : 'Nothing matches this filter.';
  }
  const first = paging.shownBefore + 1;
  const last = paging.shownBefore + count;
  const more = paging.next ? ' Older events: “Older”.' : '';
  return count === 1 && !paging.before ? 'Showing 1 event.'
      : `Showing events ${first}–${last}, newest first.${more}`;
}

function row(event) {
  return el('tr', {},
      el('td', { 'data-label': 'Time' }, formatTime(event.occurredAt)),
      el('td', { 'data-label': 'What' }, TYPES[event.type] || event.type),
      el('td', { 'data-label': 'By' }, event.actor),
      el('td', { 'data-label': 'Target' }, event.target || '—'),
      el('td', { 'data-label': 'Outcome' }, el('span', { class: `outcome outcome-${outcomeTone(event.outcome)}` },
          event.outcome)),
      el('td', { 'data-label': 'Details', class: 'detail' }, describe(event.detail)));
}

function outcomeTone(outcome) {
  if (['success', 'approved', 'ok'].includes(outcome)) {
    return 'good';
  }
  if (['failure', 'denied', 'refused', 'blocked', 'rejected', 'fraud', 'expired'].includes(outcome)) {
    return 'bad';
  }
  return 'plain';
}

/** {app: "Payroll", ip: "203.0.113.7"} → "app: Payroll · ip: 203.0.113.7". */
function describe(detail) {
  if (!detail || typeof detail !== 'object') {
    return '';
  }
  // ids are for the CSV export; the table shows what a person reads
  return Object.entries(detail).filter(([key, value]) => !/Id$/.test(key) && value !== null && value !== ''
      && !(Array.isArray(value) && value.length === 0)).map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ')
      : (value !== null && typeof value === 'object' ? JSON.stringify(value) : value)}`).join(' · ');
}
