// Shared by every Countersign page (docs/web-sessions.md): calls with the session cookie and its CSRF token,
// plain-language errors, and small DOM helpers. Pages never see a session token; the cookie is HttpOnly.

const GENERIC_FAILURE = 'Something went wrong on our side. Try again in a moment.';
const OFFLINE = "We can't reach the service right now. Check your connection and try again.";

let csrfToken = null;

/** An error whose message is a sentence a person can read: never raw JSON, never a stack trace. */
export class ApiFailure extends Error {
  /** details: the error's JSON body for a 4xx (e.g. the per-row report of a bulk update), else null. */
  constructor(status, code, message, details = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** GET /web/session: who is signed in in this browser; keeps the CSRF token for later calls. */
export async function loadSession() {
  const session = await call('GET', '/web/session');
  csrfToken = session.signedIn ? session.csrfToken : null;
  return session;
}

/**
 * Calls the service with this browser's cookies. State-changing calls carry X-CSRF-Token (required by every
 * cookie-authenticated POST, PUT, PATCH and DELETE) and a JSON body, which a cross-site form cannot send.
 * An AbortSignal in the options cancels the call (it then fails as a network failure).
 */
export async function call(method, path, body, { signal } = {}) {
  const headers = { 'Accept': 'application/json' };
  const options = { method, headers, credentials: 'same-origin', cache: 'no-store', redirect: 'error', signal };
  if (method !== 'GET' && method !== 'HEAD') {
    // a Blob (such as a chosen file) is sent as it is, with its own type: new Blob([file], {type: 'text/csv'})
    const raw = body instanceof Blob;
    headers['Content-Type'] = raw ? (body.type || 'application/octet-stream') : 'application/json';
    options.body = raw ? body : JSON.stringify(body || {});
    if (csrfToken) {
      headers['X-CSRF-Token'] = csrfToken;
    }
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (networkError) {
    throw new ApiFailure(0, 'network', OFFLINE);
  }
  let json = null;
  if ((response.headers.get('Content-Type') || '').startsWith('application/json')) {
    try {
      json = await response.json();
    } catch (parseError) {
      json = null;
    }
  }
  if (response.ok) {
    return json || {};
  }
  const message = json && typeof json.message === 'string' && response.status < 500 ? json.message
      : GENERIC_FAILURE;
  throw new ApiFailure(response.status, json && json.error ? json.error : 'http_' + response.status, message,
      response.status < 500 ? json : null);
}

/** Shows an error sentence in an element with role="alert"; other failures become the generic sentence. */
export function showError(element, error) {
  element.textContent = error instanceof ApiFailure ? error.message : GENERIC_FAILURE;
  element.hidden = false;
}

export function clearError(element) {
  element.textContent = '';
  element.hidden = true;
}

/** Builds an element without innerHTML: el('p', {class: 'muted'}, 'text', child). */
export function el(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === true) {
      element.setAttribute(name, '');
    } else if (value !== false && value !== null && value !== undefined) {
      element.setAttribute(name, String(value));
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return element;
}

/**
 * Shows one of a page's step sections and hides the others, then moves the keyboard focus into it: to
 * {@code focusId} when given (the first field), else to its heading, so keyboard and screen-reader users follow.
 */
export function showStep(id, steps, focusId) {
  for (const step of steps) {
    document.getElementById(step).hidden = step !== id;
  }
  const section = document.getElementById(id);
  const target = focusId ? document.getElementById(focusId) : section.querySelector('h1, h2');
  if (target) {
    if (!focusId) {
      target.setAttribute('tabindex', '-1');
    }
    target.focus({ preventScroll: true });
  }
  return section;
}

/** The page to go to after signing in: only a same-origin path such as /my/security-info, never another site. */
export function safeNext(fallback) {
  const next = new URLSearchParams(window.location.search).get('next');
  if (!next || !/^\/[A-Za-z0-9/_-]*$/.test(next) || next.startsWith('//')) {
    return fallback;
  }
  return next;
}

/** A date as people read it, e.g. "23 Nov 2026". */
export function formatDate(iso) {
  if (!iso) {
    return '';
  }
  return new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** Copies text to the clipboard; answers whether it worked (it needs a secure context or localhost). */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (error) {
    return false;
  }
}

export function sleep(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
