// One way for the pages to speak to the server: JSON in, JSON out, failures as ApiFailure.

export class ApiFailure extends Error {
  constructor(status, body, message) {
    super(message);
    this.status = status; // 0 when the server could not be reached
    this.body = body;
  }

  /// The course surface's error code ("CAPTCHA_INVALID"), if the body has one.
  get code() {
    return this.body?.error?.code ?? null;
  }
}

/// The message an error body carries: FastAPI's `detail` (a string or a list of field
/// errors) or the course envelope's `error.message`.
export function failureMessage(status, body) {
  if (typeof body?.detail === 'string') return body.detail;
  if (Array.isArray(body?.detail))
    return body.detail.map((d) => `${(d.loc ?? []).slice(1).join('.')}: ${d.msg}`).join('; ');
  if (body?.error?.message) return body.error.message;
  return status === 0 ? 'The server could not be reached' : `The server answered ${status}`;
}

export async function api(path, { method = 'GET', body, form, token, headers = {} } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers } };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (form) {
    init.body = new URLSearchParams(form);
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiFailure(0, null, failureMessage(0, null));
  }
  const text = await res.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!res.ok) throw new ApiFailure(res.status, parsed, failureMessage(res.status, parsed));
  return parsed;
}

/// A random UUID (v4), also where crypto.randomUUID is missing (pages served over plain HTTP
/// to another host are not a secure context).
export function uuid4() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
