// /my/security-info: the person's sign-in methods, the "Add sign-in method → Authenticator app" wizard
// (ARCHITECTURE.md §2.1), app passwords when allowed, and "Sign out everywhere".
import {
  ApiFailure, call, clearError, copyText, el, formatDate, loadSession, safeNext, showError, showStep, sleep,
} from './web.js';

const WIZARD = ['wiz-get-app', 'wiz-scan', 'wiz-wait', 'wiz-try', 'wiz-done', 'wiz-expired'];
const PROGRESS = { 'wiz-get-app': 1, 'wiz-scan': 2, 'wiz-wait': 3, 'wiz-try': 4 };
const POLL_MILLIS = 1500;
const $ = (id) => document.getElementById(id);

let session = null;
const wizard = { enrollment: null, generation: 0, step: null, deviceName: null, lastDeviceId: null };

async function init() {
  try {
    session = await loadSession();
  } catch (failure) {
    showError($('page-error'), failure);
    return;
  }
  if (!session.signedIn) {
    window.location.replace('/sign-in?next=/my/security-info');
    return;
  }
  $('account-name').textContent = session.displayName || session.username;
  $('account').hidden = false;
  wire();
  showOverview();
  await loadMethods();
  if (session.appPasswordsAllowed && session.scope === 'full') {
    $('app-passwords').hidden = false;
    await loadAppPasswords();
  }
  const asked = new URLSearchParams(window.location.search).get('setup') === 'authenticator';
  if (session.scope === 'registration' || (asked && $('methods').children.length === 0)) {
    $('registration-notice').hidden = session.scope !== 'registration';
    startWizard();
  }
}

function wire() {
  $('sign-out').addEventListener('click', signOut);
  $('add-method').addEventListener('click', () => {
    $('chooser').hidden = false;
    $('method-type').focus();
  });
  $('chooser-cancel').addEventListener('click', () => {
    $('chooser').hidden = true;
    $('add-method').focus();
  });
  $('chooser-add').addEventListener('click', () => {
    $('chooser').hidden = true;
    startWizard();
  });
  $('wiz-next-1').addEventListener('click', createEnrollment);
  for (const id of ['wiz-cancel-1', 'wiz-cancel-x']) {
    $(id).addEventListener('click', cancelWizard);
  }
  $('wiz-back-2').addEventListener('click', () => wizardStep('wiz-get-app'));
  $('wiz-next-2').addEventListener('click', () => {
    if (wizard.step === 'wiz-scan') {
      wizardStep('wiz-wait');
    }
  });
  $('wiz-back-3').addEventListener('click', () => wizardStep('wiz-scan'));
  $('wiz-restart').addEventListener('click', createEnrollment);
  $('cant-scan').addEventListener('click', () => {
    const manual = $('manual');
    manual.hidden = !manual.hidden;
    $('cant-scan').setAttribute('aria-expanded', String(!manual.hidden));
    if (!manual.hidden) {
      $('enrollment-uri').focus();
      $('enrollment-uri').select();
    }
  });
  $('copy-uri').addEventListener('click', async () => {
    $('copy-uri-status').textContent = await copyText($('enrollment-uri').value) ? 'Copied.'
        : 'Select the link and copy it.';
  });
  $('resend-test').addEventListener('click', resendTest);
  $('wiz-done').addEventListener('click', finishWizard);
  $('app-password-form').addEventListener('submit', createAppPassword);
  $('copy-app-password').addEventListener('click', async () => {
    $('copy-status').textContent = await copyText($('new-app-password-value').value) ? 'Copied.'
        : 'Select the password and copy it.';
  });
  $('hide-app-password').addEventListener('click', () => {
    $('new-app-password-value').value = '';
    $('new-app-password').hidden = true;
    $('app-password-name').focus();
  });
  $('sign-out-everywhere').addEventListener('click', () => {
    $('confirm-everywhere').hidden = false;
    $('confirm-everywhere-no').focus();
  });
  $('confirm-everywhere-no').addEventListener('click', () => {
    $('confirm-everywhere').hidden = true;
    $('sign-out-everywhere').focus();
  });
  $('confirm-everywhere-yes').addEventListener('click', signOutEverywhere);
}

// ---- methods

async function loadMethods() {
  const list = $('methods');
  clearError($('methods-error'));
  try {
    const answer = await call('GET', '/api/v1/me/methods');
    list.replaceChildren(...answer.methods.map(methodItem));
    $('no-methods').hidden = answer.methods.length > 0;
  } catch (failure) {
    showError($('methods-error'), failure);
  }
}

function methodItem(method) {
  const used = method.lastUsedAt ? 'Last used ' + formatDate(method.lastUsedAt) : 'Not used yet';
  const status = method.state === 'verified' ? used : 'Setup not finished';
  const remove = el('button', { type: 'button', class: 'secondary small',
    'aria-label': 'Delete Authenticator app ' + method.name }, 'Delete');
  const item = el('li', { class: 'method' },
      el('div', { class: 'method-icon' }, el('img', { src: '/assets/authenticator.svg', alt: '', width: 24,
        height: 24 })),
      el('div', { class: 'method-text' },
          el('p', { class: 'method-title' }, 'Authenticator app'),
          el('p', { class: 'method-detail' }, method.name + ' · ' + method.platform),
          el('p', { class: 'muted' }, 'Added ' + formatDate(method.createdAt) + ' · ' + status)),
      el('div', { class: 'method-actions' }, remove));
  remove.addEventListener('click', () => confirmDelete(item, method, remove));
  return item;
}

function confirmDelete(item, method, button) {
  if (item.querySelector('.confirm')) {
    return;
  }
  const yes = el('button', { type: 'button', class: 'danger' }, 'Delete');
  const no = el('button', { type: 'button', class: 'secondary' }, 'Cancel');
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const box = el('div', { class: 'confirm', role: 'group', 'aria-label': 'Confirm deletion' },
      el('p', {}, 'Delete the Authenticator app on ' + method.name + '? It will stop receiving sign-in '
          + 'requests at once, and you can no longer use it to sign in.'),
      el('div', { class: 'actions' }, yes, no), error);
  item.append(box);
  no.addEventListener('click', () => {
    box.remove();
    button.focus();
  });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    try {
      await call('DELETE', '/api/v1/me/devices/' + encodeURIComponent(method.deviceId));
      await loadMethods();
      $('add-method').focus();
    } catch (failure) {
      yes.disabled = false;
      showError(error, failure);
    }
  });
  no.focus();
}

// ---- the wizard

function startWizard() {
  $('overview').hidden = true;
  $('wizard').hidden = false;
  wizard.enrollment = null;
  wizardStep('wiz-get-app');
}

function wizardStep(id) {
  wizard.step = id;
  const step = PROGRESS[id];
  $('wizard-progress').textContent = step ? 'Step ' + step + ' of 4' : '';
  const focus = { 'wiz-get-app': 'wiz-next-1', 'wiz-scan': 'wiz-next-2', 'wiz-done': 'wiz-done' }[id];
  showStep(id, WIZARD, focus);
}

function cancelWizard() {
  wizard.generation += 1;
  wizard.enrollment = null;
  showOverview();
  // the focused Cancel button is now hidden: give the keyboard a place to continue from
  $('add-method').focus();
  loadMethods();
}

function showOverview() {
  $('wizard').hidden = true;
  $('overview').hidden = false;
}

async function createEnrollment() {
  const button = wizard.step === 'wiz-expired' ? $('wiz-restart') : $('wiz-next-1');
  button.disabled = true;
  try {
    const enrollment = await call('POST', '/api/v1/enrollments', {});
    wizard.enrollment = enrollment;
    $('qr').setAttribute('src', enrollment.qrPngUrl);
    $('enrollment-uri').value = enrollment.uri;
    $('manual').hidden = true;
    $('cant-scan').setAttribute('aria-expanded', 'false');
    clearError($('scan-error'));
    wizardStep('wiz-scan');
    wizard.generation += 1;
    follow(wizard.generation, enrollment.enrollmentId);
  } catch (failure) {
    showOverview();
    showError($('methods-error'), failure);
  } finally {
    button.disabled = false;
  }
}

/** Polls the enrollment and moves the wizard along: activated → the test; verified → done; expired → start again. */
async function follow(generation, enrollmentId) {
  let failures = 0;
  while (generation === wizard.generation) {
    try {
      const status = await call('GET', '/api/v1/enrollments/' + encodeURIComponent(enrollmentId));
      failures = 0;
      if (generation !== wizard.generation) {
        return;
      }
      if (!show(status)) {
        return;
      }
    } catch (failure) {
      failures += 1;
      const box = wizard.step === 'wiz-try' ? $('try-error') : $('scan-error');
      if (failures >= 3 || (failure instanceof ApiFailure && failure.status >= 400 && failure.status < 500)) {
        showError(box, failure);
        if (failure instanceof ApiFailure && failure.status === 401) {
          return;
        }
      }
    }
    await sleep(POLL_MILLIS);
  }
}

/** Shows an enrollment status; answers whether to keep polling. */
function show(status) {
  if (status.deviceId) {
    wizard.lastDeviceId = status.deviceId;
  }
  if (status.state === 'expired') {
    wizardStep('wiz-expired');
    return false;
  }
  if (status.state === 'verified') {
    showDone();
    return false;
  }
  if (status.state === 'activated') {
    showTest(status.testSignIn || {});
  }
  return true;
}

function showTest(test) {
  if (wizard.step !== 'wiz-try') {
    wizardStep('wiz-try');
    describeDevice();
  }
  const pending = test.state === 'pending';
  $('test-number').textContent = pending ? test.number : '';
  $('test-number').hidden = !pending;
  $('resend-test').hidden = pending;
  clearError($('try-error'));
  if (pending) {
    $('try-status').textContent = 'Waiting for your answer in the app…';
  } else if (test.reason === 'wrong_number') {
    $('try-status').textContent = "The number entered in the app didn't match. Send another notification and "
        + 'try again.';
  } else if (test.state === 'expired') {
    $('try-status').textContent = 'The notification timed out. Send another one.';
  } else {
    $('try-status').textContent = 'The notification was denied in the app. Send another one to try again.';
  }
}

async function describeDevice() {
  try {
    const answer = await call('GET', '/api/v1/me/methods');
    const device = answer.methods.find((method) => method.deviceId === currentDeviceId());
    $('test-device').textContent = device ? 'Sent to ' + device.name : '';
    wizard.deviceName = device ? device.name : null;
  } catch (failure) {
    $('test-device').textContent = '';
  }
}

function currentDeviceId() {
  return wizard.lastDeviceId;
}

async function resendTest() {
  const button = $('resend-test');
  button.disabled = true;
  try {
    const status = await call('POST', '/api/v1/enrollments/' + encodeURIComponent(wizard.enrollment.enrollmentId)
        + '/test', {});
    show(status);
  } catch (failure) {
    showError($('try-error'), failure);
  } finally {
    button.disabled = false;
  }
}

function showDone() {
  const registrationOnly = session.scope === 'registration';
  $('done-text').textContent = (wizard.deviceName ? 'The Authenticator app on ' + wizard.deviceName
      : 'Your Authenticator app') + ' is set up. From now on, sign-ins ask you to enter a number in the app.'
      + (registrationOnly ? ' Sign in again to continue.' : '');
  $('wiz-done').textContent = registrationOnly ? 'Continue to sign in' : 'Done';
  wizardStep('wiz-done');
}

async function finishWizard() {
  if (session.scope === 'registration') {
    try {
      await call('POST', '/web/sign-out', {});
    } catch (failure) {
      // the registration session ends by itself within 30 minutes
    }
    const next = safeNext('/my/security-info');
    window.location.assign('/sign-in?next=' + encodeURIComponent(next));
    return;
  }
  showOverview();
  await loadMethods();
  $('add-method').focus();
}

// ---- app passwords (ARCHITECTURE.md §8: /api/v1/me/app-passwords)

async function loadAppPasswords() {
  clearError($('app-passwords-error'));
  try {
    const answer = await call('GET', '/api/v1/me/app-passwords');
    const list = answer.appPasswords || answer.passwords || [];
    $('app-password-list').replaceChildren(...list.map(appPasswordItem));
  } catch (failure) {
    showError($('app-passwords-error'), failure);
  }
}

function appPasswordItem(password) {
  const remove = el('button', { type: 'button', class: 'secondary small',
    'aria-label': 'Delete app password ' + password.name }, 'Delete');
  remove.addEventListener('click', async () => {
    remove.disabled = true;
    try {
      await call('DELETE', '/api/v1/me/app-passwords/' + encodeURIComponent(password.id));
      await loadAppPasswords();
      $('app-password-name').focus();
    } catch (failure) {
      remove.disabled = false;
      showError($('app-passwords-error'), failure);
    }
  });
  return el('li', { class: 'method' },
      el('div', { class: 'method-text' },
          el('p', { class: 'method-title' }, password.name),
          el('p', { class: 'muted' }, 'Created ' + formatDate(password.createdAt)
              + (password.lastUsedAt ? ' · Last used ' + formatDate(password.lastUsedAt) : ''))),
      el('div', { class: 'method-actions' }, remove));
}

async function createAppPassword(event) {
  event.preventDefault();
  const error = $('app-passwords-error');
  clearError(error);
  const name = $('app-password-name').value.trim();
  if (!name) {
    error.textContent = 'Enter a name, such as the app you will use the password in.';
    error.hidden = false;
    $('app-password-name').focus();
    return;
  }
  try {
    const created = await call('POST', '/api/v1/me/app-passwords', { name });
    $('app-password-name').value = '';
    $('new-app-password-name').textContent = created.name;
    $('new-app-password-value').value = created.password;
    $('copy-status').textContent = '';
    $('new-app-password').hidden = false;
    $('new-app-password-value').focus();
    $('new-app-password-value').select();
    await loadAppPasswords();
  } catch (failure) {
    showError(error, failure);
  }
}

// ---- signing out

async function signOut() {
  try {
    await call('POST', '/web/sign-out', {});
  } catch (failure) {
    // the cookie is cleared by the answer; if the call failed, the sign-in page shows the state
  }
  window.location.assign('/sign-in');
}

async function signOutEverywhere() {
  const button = $('confirm-everywhere-yes');
  button.disabled = true;
  try {
    await call('POST', '/api/v1/me/sign-out-everywhere', {});
    try {
      await call('POST', '/web/sign-out', {});
    } catch (failure) {
      // the session is revoked already, so the CSRF check of an ended session may refuse: the cookie is dead
    }
    window.location.assign('/sign-in');
  } catch (failure) {
    button.disabled = false;
    showError($('everywhere-error'), failure);
  }
}

init();
