// Calls to ScimBridge's own API, same origin. A console session rides on its HttpOnly cookie; every change also
// carries the session's CSRF token in X-ScimBridge-Csrf, which the server checks for cookie-authenticated calls.

let csrf = null;
let onSignedOut = () => {};

export function setSession(session) { csrf = session?.csrf ?? null; }
export function whenSignedOut(handler) { onSignedOut = handler; }

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** The endpoint does not exist on this server (yet): its route answered 404 before any handler ran. */
export class NotAvailable extends Error {}

export async function call(path, { method = 'GET', body, query, notAvailableOn404 = false } = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, value);
  }
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-ScimBridge-Csrf'] = csrf;
  const response = await fetch(url, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get('Content-Type') ?? '';
  const payload = response.status === 204 ? null
    : type.includes('json') ? await response.json().catch(() => null) : await response.text();
  if (response.ok) return payload;
  if (response.status === 404 && notAvailableOn404) throw new NotAvailable(path);
  // A 401 from /admin means the session ended: back to the sign-in form. The sign-in calls handle their own 401.
  if (response.status === 401 && !path.startsWith('/console/api/')) onSignedOut();
  throw new ApiError(response.status, typeof payload === 'object' ? payload : { detail: payload });
}

export const get = (path, query, options = {}) => call(path, { ...options, query });
export const post = (path, body, options = {}) => call(path, { ...options, method: 'POST', body });
