// Conditional Access: the list of policies, enabling and disabling them, and creating one. Security defaults and
// enabled policies exclude each other; the service's 409 message says which one is in the way.
import { ApiFailure, call, el } from './web.js';
import { $, busy, confirmAction, hide, joinNames, say, showFailure, splitList } from './admin-common.js';

const GRANTS = { require_mfa: 'Require MFA', block: 'Block sign-in' };

export function initPolicies() {
  $('policy-form').addEventListener('submit', create);
  for (const radio of document.querySelectorAll('input[name="policy-who"]')) {
    radio.addEventListener('change', () => {
      const some = $('policy-some').checked;
      $('policy-users').disabled = !some;
      if (some) {
        $('policy-users').focus();
      }
    });
  }
  load();
  return () => load();
}

async function load() {
  try {
    const answer = await call('GET', '/api/v1/admin/policies');
    render(answer.policies || []);
  } catch (error) {
    showFailure($('policies-error'), error);
  }
}

function appliesTo(policy) {
  const parts = [];
  if ((policy.includeUsers || []).includes('*')) {
    parts.push('Everyone');
  } else if ((policy.includeUsers || []).length > 0) {
    parts.push(joinNames(policy.includeUsers));
  }
  for (const role of policy.includeRoles || []) {
    parts.push(role === 'admin' ? 'all admins' : 'all users with the user role');
  }
  return parts.join('; ') || 'Nobody';
}

function render(policies) {
  $('policy-rows').replaceChildren(...policies.map(row));
  $('policies-empty').hidden = policies.length > 0;
  $('policies-table').hidden = policies.length === 0;
}

function row(policy) {
  const enabled = policy.state === 'enabled';
  const toggle = el('button', { type: 'button', class: 'secondary small',
    'aria-label': `${enabled ? 'Disable' : 'Enable'} ${policy.name}` }, enabled ? 'Disable' : 'Enable');
  toggle.addEventListener('click', () => setState(toggle, policy, enabled ? 'disabled' : 'enabled'));
  return el('tr', { 'data-policy': policy.name },
      el('td', { 'data-label': 'Name', class: 'policy-name' }, policy.name),
      el('td', { 'data-label': 'State' },
          el('span', { class: `pill ${enabled ? 'pill-on' : 'pill-off'}` }, enabled ? 'Enabled' : 'Disabled')),
      el('td', { 'data-label': 'Applies to' }, appliesTo(policy)),
      el('td', { 'data-label': 'Except' }, (policy.excludeUsers || []).length ? joinNames(policy.excludeUsers) : '—'),
      el('td', { 'data-label': 'Trusted networks' },
          (policy.trustedNetworks || []).length ? policy.trustedNetworks.join(', ') : '—'),
      el('td', { 'data-label': 'Grant' }, GRANTS[policy.grant] || policy.grant),
      el('td', { class: 'row-actions' }, toggle));
}

async function setState(button, policy, state) {
  const enabling = state === 'enabled';
  const ok = await confirmAction({
    title: `${enabling ? 'Enable' : 'Disable'} “${policy.name}”?`,
    text: enabling
        ? `From the next sign-in, ${appliesTo(policy).toLowerCase()} ${policy.grant === 'block'
            ? 'will be blocked from signing in' : 'must use MFA'} unless excluded or on a trusted network.`
        : 'The policy stops applying at the next sign-in. Other rules may still ask for MFA.',
    confirmLabel: enabling ? 'Enable policy' : 'Disable policy',
    danger: enabling && policy.grant === 'block',
  });
  if (!ok) {
    return;
  }
  hide($('policies-error'));
  say($('policies-status'), '');
  try {
    await busy(button, 'Saving…', () => call('PATCH', `/api/v1/admin/policies/${encodeURIComponent(policy.id)}`,
        { state }));
    say($('policies-status'), `“${policy.name}” is now ${enabling ? 'enabled' : 'disabled'}.`);
  } catch (error) {
    showConflict($('policies-error'), error);
  }
  await load();
}

const FIELD_LABELS = {
  name: 'Name', includeUsers: 'These users', includeRoles: 'Who it applies to', excludeUsers: 'Except these users',
  trustedNetworks: 'Trusted networks', grant: 'Grant', state: 'State',
};

/** "excludeUsers: no user named 'bob'." → "Except these users: no user named 'bob'." */
function withLabels(message) {
  return message.replace(/^([A-Za-z]+)(\[\d+\])?:/, (whole, field) => (FIELD_LABELS[field]
      ? `${FIELD_LABELS[field]}:` : whole));
}

/** Shows a failure; a 409 conflict with security defaults also links to the settings. */
function showConflict(element, error) {
  showFailure(element, error);
  if (error instanceof ApiFailure && error.status === 409 && error.code === 'conflict') {
    element.append(' ', el('a', { href: '#settings' }, 'Open settings'));
  }
}

async function create(event) {
  event.preventDefault();
  const error = $('policy-form-error');
  hide(error);
  say($('policies-status'), '');
  const name = $('policy-name').value.trim();
  if (!name) {
    showFailure(error, 'Give the policy a name.');
    $('policy-name').focus();
    return;
  }
  const body = {
    name,
    grant: document.querySelector('input[name="policy-grant"]:checked').value,
    state: $('policy-enable').checked ? 'enabled' : 'disabled',
    excludeUsers: splitList($('policy-exclude').value),
    trustedNetworks: splitList($('policy-networks').value),
  };
  const who = document.querySelector('input[name="policy-who"]:checked').value;
  if (who === 'everyone') {
    body.includeUsers = ['*'];
  } else if (who === 'admins') {
    body.includeRoles = ['admin'];
  } else {
    body.includeUsers = splitList($('policy-users').value);
    if (body.includeUsers.length === 0) {
      showFailure(error, 'Enter at least one username the policy applies to.');
      $('policy-users').focus();
      return;
    }
  }
  try {
    const created = await busy($('policy-create'), 'Creating…', () => call('POST', '/api/v1/admin/policies', body));
    $('policy-form').reset();
    $('policy-users').disabled = true;
    say($('policies-status'), `Policy “${created.name}” created (${created.state}).`);
    $('policies-heading').scrollIntoView({ block: 'start' });
  } catch (failure) {
    showConflict(error, failure);
    if (failure instanceof ApiFailure && failure.status === 400) {
      error.textContent = withLabels(failure.message);
    }
  }
  await load();
}
