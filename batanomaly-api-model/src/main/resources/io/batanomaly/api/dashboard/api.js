// Calls to the documented anomaly endpoints. Every call names the tenant in X-Tenant-ID and,
// when the page signs in with a bearer token, sends it as Authorization: Bearer.

/** An answer of the API other than 2xx, or no answer at all (status 0). */
export class ApiError extends Error {
  constructor(status, reason, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.reason = reason;
  }
}

const REASONS = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 409: 'Conflict', 413: 'Content Too Large',
  415: 'Unsupported Media Type', 422: 'Unprocessable Content', 500: 'Internal Server Error',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** A random UUID, also where crypto.randomUUID is missing (a page served over plain http). */
export function newIdempotencyKey() {
  if (typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class AnomalyApi {
  /**
   * @param {string} base the list endpoint's path, such as /api/v1/audit/anomalies
   * @param {() => string|null} token the bearer token, or null when the host authenticates
   */
  constructor(base, token) {
    this.base = base;
    this.token = token;
  }

  list(tenant, { type, days, page, size }) {
    const params = new URLSearchParams();
    if (type) {
      params.set('type', type);
    }
    params.set('days', String(days));
    params.set('page', String(page));
    params.set('size', String(size));
    return this.call('GET', `${this.base}?${params}`, tenant);
  }

  detail(tenant, id) {
    return this.call('GET', `${this.base}/${encodeURIComponent(id)}`, tenant);
  }

  verify(tenant, id) {
    return this.call('POST', `${this.base}/${encodeURIComponent(id)}/actions/verify`, tenant);
  }

  updateStatus(tenant, id, status, note, idempotencyKey) {
    const body = note ? { status, note } : { status };
    return this.call('PATCH', `${this.base}/${encodeURIComponent(id)}/status`, tenant,
      body, { 'Idempotency-Key': idempotencyKey });
  }

  async call(method, url, tenant, body, extraHeaders = {}) {
    const headers = { Accept: 'application/json', 'X-Tenant-ID': tenant, ...extraHeaders };
    const token = this.token();
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'same-origin',
      });
    } catch (e) {
      throw new ApiError(0, 'No answer', `The server could not be reached (${e.message}).`);
    }
    const text = await response.text();
    let json = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch (e) {
        json = null;
      }
    }
    if (!response.ok) {
      const reason = (json && json.error) || REASONS[response.status] || `HTTP ${response.status}`;
      const message = (json && typeof json.message === 'string' && json.message)
        || `The server answered ${response.status} ${reason}.`;
      throw new ApiError(response.status, reason, message);
    }
    return json;
  }
}
