// Activity: the audit log filtered by person, type and dates, newest first, and the same filter as a CSV download.
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
};

export function initActivity() {
  $('activity-form').addEventListener('submit', (event) => {
    event.preventDefault();
    load($('activity-show'));
  });
  for (const id of ['activity-user', 'activity-type', 'activity-from', 'activity-to']) {
    $(id).addEventListener('change', updateExport);
  }
  $('activity-user').addEventListener('input', updateExport);
  updateExport();
  load();
  return () => load();
}

/** The filter as query parameters; dates are whole days in the browser's time zone. */
function query() {
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
  params.set('limit', String(LIMIT));
  return params;
}

function updateExport() {
  const params = query();
  params.set('format', 'csv');
  params.set('limit', '1000');
  $('activity-export').href = `/api/v1/admin/activity?${params}`;
}

async function load(button) {
  hide($('activity-error'));
  updateExport();
  const fetchEvents = () => call('GET', `/api/v1/admin/activity?${query()}`);
  const table = $('activity-table');
  table.setAttribute('aria-busy', 'true');
  try {
    const answer = await (button ? busy(button, 'Loading…', fetchEvents) : fetchEvents());
    const events = answer.events || [];
    $('activity-rows').replaceChildren(...events.map(row));
    say($('activity-status'), events.length === 0 ? 'Nothing matches this filter.'
        : `Showing ${events.length === LIMIT ? `the latest ${LIMIT}` : events.length} `
          + `${events.length === 1 ? 'event' : 'events'}, newest first.`);
  } catch (error) {
    showFailure($('activity-error'), error);
  } finally {
    table.removeAttribute('aria-busy');
  }
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
