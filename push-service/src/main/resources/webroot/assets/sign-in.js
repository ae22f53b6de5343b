// /sign-in: password, then number matching with a long poll, the TOTP fallback, "Send another request",
// "Don't ask again for N days", and the way into registration (ARCHITECTURE.md §2.2, docs/web-sessions.md).
import { ApiFailure, call, clearError, loadSession, safeNext, showError, showStep, sleep } from './web.js';

const STEPS = ['step-password', 'step-push', 'step-totp', 'step-outcome', 'step-register', 'step-done'];
const DEFAULT_NEXT = '/my/security-info';
const POLL_SECONDS = 25;
const $ = (id) => document.getElementById(id);

const next = safeNext(DEFAULT_NEXT);
const flow = {
  username: '',
  rememberDays: 0,
  deadline: 0,          // when the current request expires, in this browser's clock
  waiting: false,       // the page shows the push step and wants its outcome
  looping: false,       // a long poll loop is running (never more than one; polls are never aborted)
  countdown: null,
  finishing: false,
};

async function init() {
  try {
    const session = await loadSession();
    if (session.signedIn && session.scope === 'full') {
      window.location.replace(next);
      return;
    }
  } catch (error) {
    // the form still works; a real failure will show when the person signs in
  }
  $('password-form').addEventListener('submit', submitPassword);
  $('totp-form').addEventListener('submit', submitCode);
  $('use-code').addEventListener('click', () => showCode());
  $('outcome-code').addEventListener('click', () => showCode());
  $('use-push').addEventListener('click', usePush);
  $('retry-button').addEventListener('click', retry);
  $('start-over').addEventListener('click', () => window.location.reload());
  $('push-remember').addEventListener('change', rememberChoice);
  $('totp-remember').addEventListener('change', () => {
    $('push-remember').checked = $('totp-remember').checked;
  });
  showStep('step-password', STEPS, 'username');
}

async function submitPassword(event) {
  event.preventDefault();
  const error = $('password-error');
  clearError(error);
  const username = $('username').value.trim();
  const password = $('password').value;
  if (!username || !password) {
    error.textContent = !username ? 'Enter your username.' : 'Enter your password.';
    error.hidden = false;
    $(!username ? 'username' : 'password').focus();
    return;
  }
  await busy($('sign-in-button'), 'Signing in…', async () => {
    try {
      const result = await call('POST', '/web/sign-in', { username, password });
      flow.username = username;
      $('password').value = '';
      handle(result);
    } catch (failure) {
      showError(error, failure);
      $('password').select();
    }
  });
}

/** Moves the page to the step a sign-in state asks for. */
function handle(result) {
  if (typeof result.rememberMfaDays === 'number') {
    flow.rememberDays = result.rememberMfaDays;
  }
  for (const id of ['push-identity', 'totp-identity', 'outcome-identity', 'register-identity']) {
    $(id).textContent = flow.username;
  }
  switch (result.state) {
    case 'approved':
      finish();
      break;
    case 'pending':
      if (result.pushSuppressed) {
        showCode(result.pushSuppressed);
      } else {
        showPush(result);
      }
      break;
    case 'registration_required':
      showRegistration(result);
      break;
    default:
      showOutcome(result.state, result.reason);
  }
}

function showPush(result) {
  stopCountdown();
  $('number').textContent = result.number;
  $('push-app').textContent = 'Sign-in request for ' + (result.app || 'Countersign web');
  $('push-status').textContent = 'Waiting for your answer in the app…';
  clearError($('push-error'));
  rememberOption('push');
  rememberOption('totp');
  flow.deadline = Date.now() + (result.secondsLeft || 90) * 1000;
  showStep('step-push', STEPS);
  startWaiting();
}

function rememberOption(prefix) {
  const days = flow.rememberDays;
  $(prefix + '-remember-row').hidden = days <= 0;
  $(prefix + '-remember-label').textContent = "Don't ask again for " + days + (days === 1 ? ' day' : ' days');
}

/** The choice is stored with the waiting sign-in, so the poll in flight brings the remember cookie with it. */
async function rememberChoice() {
  const rememberDevice = $('push-remember').checked;
  $('totp-remember').checked = rememberDevice;
  try {
    await call('POST', '/web/sign-in/remember', { rememberDevice });
  } catch (failure) {
    showError($('push-error'), failure);
  }
}

function tick() {
  const left = Math.max(0, Math.round((flow.deadline - Date.now()) / 1000));
  const minutes = Math.floor(left / 60);
  const seconds = String(left % 60).padStart(2, '0');
  $('countdown').textContent = left > 0 ? 'This request expires in ' + minutes + ':' + seconds
      : 'This request has expired.';
}

function startWaiting() {
  flow.waiting = true;
  tick();
  flow.countdown = setInterval(tick, 1000);
  if (!flow.looping) {
    poll();
  }
}

function stopWaiting() {
  flow.waiting = false;
  stopCountdown();
}

function stopCountdown() {
  if (flow.countdown) {
    clearInterval(flow.countdown);
    flow.countdown = null;
  }
}

/**
 * Long-polls this browser's sign-in (always its newest request) until it is decided. A poll is never aborted: the
 * answer that carries the session cookie must reach the browser, even when the person has moved on to a code.
 */
async function poll() {
  flow.looping = true;
  let failures = 0;
  try {
    while (flow.waiting) {
      let result;
      try {
        result = await call('GET', '/web/sign-in/status?waitSeconds=' + POLL_SECONDS);
        failures = 0;
      } catch (failure) {
        failures += 1;
        if (failures >= 3 || (failure instanceof ApiFailure && failure.status >= 400 && failure.status < 500)) {
          if (flow.waiting) {
            showError($('push-error'), failure);
          }
          return;
        }
        await sleep(2000);
        continue;
      }
      if (result.state === 'approved') {
        finish();
        return;
      }
      if (result.state !== 'pending') {
        if (flow.waiting) {
          handle(result);
        }
        return;
      }
    }
  } finally {
    flow.looping = false;
  }
}

/** The code step; {@code pushSuppressed} says why no notification was sent (too many, or a fraud report). */
function showCode(pushSuppressed) {
  stopWaiting();
  const notice = $('totp-notice');
  notice.hidden = typeof pushSuppressed !== 'string';
  notice.textContent = pushSuppressed === 'fraud_reported'
    ? 'Notifications are paused for your account after a sign-in was reported as not you. '
      + 'Use a code from your app.'
    : 'Too many sign-in requests were sent to your app recently. Use a code from your app.';
  clearError($('totp-error'));
  $('code').value = '';
  rememberOption('totp');
  showStep('step-totp', STEPS, 'code');
}

async function submitCode(event) {
  event.preventDefault();
  const error = $('totp-error');
  clearError(error);
  const code = $('code').value.replace(/\s/g, '');
  if (!/^[0-9]{6,8}$/.test(code)) {
    error.textContent = 'Enter the 6-digit code shown in your Authenticator app.';
    error.hidden = false;
    $('code').focus();
    return;
  }
  const rememberDevice = $('totp-remember').checked && flow.rememberDays > 0;
  await busy($('verify-button'), 'Verifying…', async () => {
    try {
      handle(await verifyCode(code, rememberDevice));
    } catch (failure) {
      showError(error, failure);
      $('code').select();
    }
  });
}

/**
 * A code for a request that was decided meanwhile: approved in the app (the poll brought the session), or expired,
 * in which case the code is checked against a fresh request of the same sign-in.
 */
async function verifyCode(code, rememberDevice) {
  try {
    return await call('POST', '/web/sign-in/totp', { code, rememberDevice });
  } catch (failure) {
    if (!(failure instanceof ApiFailure) || failure.code !== 'already_decided') {
      throw failure;
    }
    const session = await loadSession();
    if (session.signedIn && session.scope === 'full') {
      return { state: 'approved' };
    }
    const fresh = await call('POST', '/web/sign-in/retry', {});
    if (fresh.state !== 'pending') {
      return fresh;
    }
    return call('POST', '/web/sign-in/totp', { code, rememberDevice });
  }
}

async function usePush() {
  if (Date.now() < flow.deadline - 2000) {
    showStep('step-push', STEPS);
    startWaiting();
    return;
  }
  await retry();
}

const OUTCOMES = {
  expired: ['We didn\'t hear from you', 'The request timed out before it was answered in the app.', true],
  user_denied: ['Request denied', 'The sign-in request was denied in the Authenticator app.', true],
  wrong_number: ['Wrong number', 'The number entered in the app didn\'t match the number shown here, so the '
      + 'request was denied. Nobody was signed in.', true],
  fraud_reported: ['Sign-in reported', 'This request was reported in the app as not you, so it was blocked. '
      + 'If it was you after all, sign in again.', false],
  superseded: ['Request replaced', 'A newer sign-in request was sent to your app, so this one was cancelled.',
      false],
  locked_out: ['Account locked', 'This account is locked after too many failed attempts. Ask your admin to '
      + 'unlock it.', false],
  device_removed: ['Device removed', 'The device this request went to has been removed from your account. '
      + 'Sign in again, or ask your admin for help.', false],
};

function showOutcome(state, reason) {
  stopWaiting();
  const key = state === 'expired' ? (reason === 'superseded' ? 'superseded' : 'expired') : (reason || 'user_denied');
  const [title, text, retryable] = OUTCOMES[key] || OUTCOMES.user_denied;
  $('outcome-title').textContent = title;
  $('outcome-text').textContent = text;
  $('retry-button').hidden = !retryable;
  $('outcome-code').hidden = !retryable;
  clearError($('outcome-error'));
  showStep('step-outcome', STEPS, retryable ? 'retry-button' : 'start-over');
}

async function retry() {
  const button = $('retry-button');
  await busy(button, 'Sending…', async () => {
    try {
      handle(await call('POST', '/web/sign-in/retry', {}));
    } catch (failure) {
      if ($('step-outcome').hidden) {
        showOutcome('expired');
      }
      showError($('outcome-error'), failure);
      if (failure instanceof ApiFailure && failure.status === 409) {
        button.hidden = true;
        $('outcome-code').hidden = true;
        $('start-over').focus();
      }
    }
  });
}

function showRegistration(result) {
  stopWaiting();
  const setup = '/my/security-info?setup=authenticator' + (next === DEFAULT_NEXT ? ''
      : '&next=' + encodeURIComponent(next));
  $('register-next').setAttribute('href', setup);
  const skip = $('register-skip');
  skip.hidden = !result.skippable;
  if (result.skippable) {
    const days = result.daysLeft;
    skip.textContent = typeof days === 'number'
        ? 'Skip for now (' + days + (days === 1 ? ' day' : ' days') + ' left)' : 'Skip for now';
    skip.setAttribute('href', next);
  }
  showStep('step-register', STEPS, 'register-next');
}

/** Approved: waits until the session cookie is there (another poll may carry it), then goes on to the next page. */
async function finish() {
  if (flow.finishing) {
    return;
  }
  flow.finishing = true;
  stopWaiting();
  showStep('step-done', STEPS);
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      if ((await loadSession()).signedIn) {
        break;
      }
    } catch (failure) {
      // try again below
    }
    await sleep(300);
  }
  window.location.assign(next);
}

/** Disables a button with a progress label while work runs, so a double click sends nothing twice. */
async function busy(button, label, work) {
  const original = button.textContent;
  button.disabled = true;
  button.textContent = label;
  try {
    await work();
  } finally {
    button.disabled = false;
    button.textContent = original;
  }
}

init();
