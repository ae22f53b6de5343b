// Users: the MFA status views (Any / Enabled / Enforced / Disabled), search, multi-select with the quick steps
// Enable / Enforce / Disable, and for each person the MFA asked at sign-in with the rule behind it.
import { call, el } from './web.js';
import {
  $, busy, confirmAction, describeEffective, failureText, hide, joinNames, say, showFailure, stateLabel,
} from './admin-common.js';
import { openUser } from './admin-user-panel.js';

const STEPS = {
  enabled: {
    button: 'step-enable', verb: 'Enable',
    text: 'They will be asked to register the Authenticator app at their next sign-in, and then use it to approve '
        + 'their sign-ins.',
  },
  enforced: {
    button: 'step-enforce', verb: 'Enforce',
    text: 'They must approve every sign-in with the Authenticator app. Anyone without a registered app sets it up '
        + 'at their next sign-in.',
  },
  disabled: {
    button: 'step-disable', verb: 'Disable',
    text: 'Their own MFA requirement is removed. Security defaults or a Conditional Access policy may still ask '
        + 'them for MFA: the list shows which rule applies.',
  },
};

const view = { users: [], selected: new Set(), loading: null };

export function initUsers() {
  $('mfa-filter').addEventListener('change', () => load());
  $('user-search').addEventListener('input', render);
  $('user-filters').addEventListener('submit', (event) => event.preventDefault());
  $('select-all').addEventListener('change', selectAll);
  for (const [state, step] of Object.entries(STEPS)) {
    $(step.button).addEventListener('click', () => quickStep(state));
  }
  load();
  return () => load();
}

async function load() {
  const filter = $('mfa-filter').value;
  const loading = call('GET', `/api/v1/admin/users?mfa=${encodeURIComponent(filter)}`);
  view.loading = loading;
  $('users-table').setAttribute('aria-busy', 'true');
  try {
    const answer = await loading;
    if (view.loading !== loading) {
      return;   // a newer filter was chosen meanwhile
    }
    view.users = answer.users || [];
    hide($('users-error'));
  } catch (error) {
    if (view.loading !== loading) {
      return;
    }
    view.users = [];
    showFailure($('users-error'), error);
  }
  render();
  $('users-table').removeAttribute('aria-busy');
}

function visibleUsers() {
  const query = $('user-search').value.trim().toLowerCase();
  if (!query) {
    return view.users;
  }
  return view.users.filter((user) => user.username.toLowerCase().includes(query)
      || (user.displayName || '').toLowerCase().includes(query));
}

function render() {
  const users = visibleUsers();
  const visible = new Set(users.map((user) => user.username));
  // only people in view can be acted on: a hidden selection would surprise
  for (const name of [...view.selected]) {
    if (!visible.has(name)) {
      view.selected.delete(name);
    }
  }
  $('user-rows').replaceChildren(...users.map((user, index) => row(user, index)));
  $('users-empty').hidden = users.length > 0;
  $('users-table').hidden = users.length === 0;
  updateSelection(users);
}

function row(user, index) {
  const id = `select-user-${index}`;
  const checkbox = el('input', { type: 'checkbox', id, 'data-username': user.username });
  checkbox.checked = view.selected.has(user.username);
  checkbox.addEventListener('change', () => {
    if (checkbox.checked) {
      view.selected.add(user.username);
    } else {
      view.selected.delete(user.username);
    }
    updateSelection(visibleUsers());
  });
  const effective = describeEffective(user);
  const needsMethod = user.effectiveMfa && user.effectiveMfa.required && !user.methodsRegistered;
  const manage = el('button', { type: 'button', class: 'secondary small', 'aria-label': `Manage ${user.username}` },
      'Manage');
  manage.addEventListener('click', () => openUser(user.username, load));
  const tr = el('tr', { 'data-username': user.username },
      el('td', { class: 'select-col' }, checkbox,
          el('label', { for: id, class: 'visually-hidden' }, `Select ${user.displayName || user.username}`)),
      el('td', { 'data-label': 'User' },
          el('span', { class: 'user-name' }, user.displayName || user.username),
          user.displayName && user.displayName !== user.username
              ? el('span', { class: 'user-login' }, user.username) : null,
          user.role === 'admin' ? el('span', { class: 'tag' }, 'Admin') : null,
          user.lockedOut ? el('span', { class: 'tag tag-warning' }, 'Locked out') : null,
          user.pushSuspended ? el('span', { class: 'tag tag-warning' }, 'Notifications paused') : null),
      el('td', { 'data-label': 'MFA status' },
          el('span', { class: `state state-${user.mfaState}` }, stateLabel(user.mfaState))),
      el('td', { 'data-label': 'MFA at sign-in', class: 'effective' },
          el('span', { class: `pill pill-${effective.tone}` }, effective.headline),
          el('span', { class: 'because' }, effective.reason)),
      el('td', { 'data-label': 'Sign-in method' },
          user.methodsRegistered
              ? el('span', { class: 'method-yes' },
                  user.methodsRegistered === 1 ? 'Registered' : `${user.methodsRegistered} registered`)
              : el('span', { class: needsMethod ? 'method-missing' : 'method-none' },
                  needsMethod ? 'None yet: registers at next sign-in' : 'None')),
      el('td', { class: 'row-actions' }, manage));
  return tr;
}

function selectAll() {
  const users = visibleUsers();
  const all = $('select-all').checked;
  for (const user of users) {
    if (all) {
      view.selected.add(user.username);
    } else {
      view.selected.delete(user.username);
    }
  }
  render();
}

function updateSelection(users) {
  const count = view.selected.size;
  say($('selection-count'), count === 0 ? 'Select people in the list to change their MFA status.'
      : `${count} ${count === 1 ? 'person' : 'people'} selected.`);
  for (const step of Object.values(STEPS)) {
    $(step.button).disabled = count === 0;
  }
  const selectAllBox = $('select-all');
  selectAllBox.checked = users.length > 0 && count === users.length;
  selectAllBox.indeterminate = count > 0 && count < users.length;
}

async function quickStep(state) {
  const step = STEPS[state];
  const names = [...view.selected];
  if (names.length === 0) {
    return;
  }
  const byName = new Map(view.users.map((user) => [user.username, user]));
  const ok = await confirmAction({
    title: `${step.verb} MFA for ${names.length} ${names.length === 1 ? 'person' : 'people'}?`,
    text: step.text,
    items: names.map((name) => {
      const user = byName.get(name);
      return user && user.displayName && user.displayName !== name ? `${user.displayName} (${name})` : name;
    }),
    confirmLabel: `${step.verb} MFA`,
  });
  if (!ok) {
    return;
  }
  hide($('users-error'));
  say($('users-status'), '');
  const failures = [];
  await busy($(step.button), 'Saving…', async () => {
    for (const name of names) {
      try {
        await call('PATCH', `/api/v1/admin/users/${encodeURIComponent(name)}`, { mfaState: state });
      } catch (error) {
        failures.push({ name, message: failureText(error) });
      }
    }
  });
  const done = names.filter((name) => !failures.some((failure) => failure.name === name));
  view.selected = new Set(failures.map((failure) => failure.name));
  await load();
  if (done.length > 0) {
    say($('users-status'), `MFA status set to ${stateLabel(state)} for ${joinNames(done)}.`);
  }
  if (failures.length > 0) {
    const box = $('users-error');
    box.replaceChildren(
        el('p', {}, `${failures.length === 1 ? 'One change' : `${failures.length} changes`} could not be made:`),
        el('ul', {}, ...failures.map((failure) => el('li', {}, el('strong', {}, failure.name), `: ${failure.message}`))));
    box.hidden = false;
  }
}
