// Relying parties: the clients that may ask for a second factor (POST /api/v1/rp/checks). Creating one shows its
// secret once, with a copy button; revoking one refuses its next request.
import { call, copyText, el } from './web.js';
import { $, busy, confirmAction, formatTime, hide, say, showFailure } from './admin-common.js';

export function initRelyingParties() {
  $('rp-form').addEventListener('submit', create);
  $('rp-copy').addEventListener('click', copySecret);
  load();
  return () => load();
}

async function load() {
  try {
    const answer = await call('GET', '/api/v1/admin/rp-clients');
    render(answer.clients || []);
  } catch (error) {
    showFailure($('rp-error'), error);
  }
}

function render(clients) {
  $('rp-rows').replaceChildren(...clients.map(row));
  $('rp-empty').hidden = clients.length > 0;
  $('rp-table').hidden = clients.length === 0;
}

function row(client) {
  const actions = el('td', { class: 'row-actions' });
  if (!client.revoked) {
    const revoke = el('button', { type: 'button', class: 'secondary small', 'aria-label': `Revoke ${client.name}` },
        'Revoke');
    revoke.addEventListener('click', () => revokeClient(revoke, client));
    actions.append(revoke);
  }
  return el('tr', { 'data-client': client.clientId },
      el('td', { 'data-label': 'Name' }, client.name),
      el('td', { 'data-label': 'Client id' }, el('code', {}, client.clientId)),
      el('td', { 'data-label': 'Checks per second' }, String(client.ratePerSecond)),
      el('td', { 'data-label': 'Created' }, formatTime(client.createdAt)),
      el('td', { 'data-label': 'Last used' }, client.lastUsedAt ? formatTime(client.lastUsedAt) : 'Never'),
      el('td', { 'data-label': 'State' },
          el('span', { class: `pill ${client.revoked ? 'pill-off' : 'pill-on'}` },
              client.revoked ? 'Revoked' : 'Active')),
      actions);
}

async function create(event) {
  event.preventDefault();
  hide($('rp-form-error'));
  $('rp-created').hidden = true;
  const name = $('rp-name').value.trim();
  const rate = Number($('rp-rate').value);
  if (!name) {
    showFailure($('rp-form-error'), 'Enter a name for the client.');
    $('rp-name').focus();
    return;
  }
  if (!Number.isInteger(rate) || rate < 1 || rate > 100000) {
    showFailure($('rp-form-error'), 'Checks per second must be a whole number from 1 to 100000.');
    $('rp-rate').focus();
    return;
  }
  try {
    const created = await busy($('rp-create'), 'Creating…',
        () => call('POST', '/api/v1/admin/rp-clients', { name, ratePerSecond: rate }));
    $('rp-created-id').textContent = created.clientId;
    $('rp-created-secret').textContent = created.clientSecret;
    say($('rp-copy-status'), '');
    $('rp-created').hidden = false;
    $('rp-created-heading').focus();
    $('rp-name').value = '';
    await load();
  } catch (error) {
    showFailure($('rp-form-error'), error);
  }
}

async function copySecret() {
  const copied = await copyText($('rp-created-secret').textContent);
  say($('rp-copy-status'), copied ? 'Copied. Paste it into the application now.'
      : 'Copying is not available here: select the secret and copy it by hand.');
}

async function revokeClient(button, client) {
  const ok = await confirmAction({
    title: `Revoke “${client.name}”?`,
    text: 'Its next request is refused. This can\'t be undone: the application needs a new client to ask for '
        + 'second factors again.',
    confirmLabel: 'Revoke client',
    danger: true,
  });
  if (!ok) {
    return;
  }
  hide($('rp-error'));
  try {
    await busy(button, 'Revoking…', () => call('DELETE', `/api/v1/admin/rp-clients/${encodeURIComponent(client.clientId)}`));
    say($('rp-status'), `${client.name} is revoked.`);
    await load();
  } catch (error) {
    showFailure($('rp-error'), error);
  }
}
