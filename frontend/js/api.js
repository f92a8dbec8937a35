// The REST API (docs/contracts.md, app/api/*.py) and the stream URL, as small async functions.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Where a page goes when the server says "log in first" (401, accounts mode): login, then back here. */
export function loginUrl(back = location.pathname + location.search) {
  return `/login.html?next=${encodeURIComponent(back)}`;
}

/** A same-site path to go back to after login (never another site: no open redirect). */
export function safeNext(raw) {
  return raw && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\') ? raw : '/';
}

async function request(method, path, body, { redirectOn401 = true } = {}) {
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The server could not be reached. Check that Viva is running.');
  }
  if (res.status === 401 && redirectOn401) {
    location.assign(loginUrl());
    throw new ApiError(401, 'Please log in.');
  }
  if (res.status === 204) return null;
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const detail = data?.detail;
    const message =
      typeof detail === 'string'
        ? detail
        : Array.isArray(detail)
          ? detail.map((d) => d.msg).join('; ')
          : `HTTP ${res.status}`;
    throw new ApiError(res.status, message);
  }
  return data;
}

const id = (value) => encodeURIComponent(String(value));

export const api = {
  /** {mode: 'local'|'accounts', user} or null when not logged in (no redirect: the login page uses it). */
  me: async () => {
    try {
      return await request('GET', '/api/auth/me', undefined, { redirectOn401: false });
    } catch (err) {
      if (err.status === 401) return null;
      throw err;
    }
  },
  login: (email, password) =>
    request('POST', '/api/auth/login', { email, password }, { redirectOn401: false }),
  signup: (email, password) =>
    request('POST', '/api/auth/signup', { email, password }, { redirectOn401: false }),
  logout: () => request('POST', '/api/auth/logout', undefined, { redirectOn401: false }),
  rounds: () => request('GET', '/api/rounds'),
  round: (roundId) => request('GET', `/api/rounds/${id(roundId)}`),
  createInterview: (round, level) => request('POST', '/api/interviews', { round, level }),
  interviews: ({ limit = 20, cursor = null } = {}) => {
    const q = new URLSearchParams({ limit: String(limit) });
    if (cursor) q.set('cursor', cursor);
    return request('GET', `/api/interviews?${q}`);
  },
  interview: (interviewId) => request('GET', `/api/interviews/${id(interviewId)}`),
  deleteInterview: (interviewId) => request('DELETE', `/api/interviews/${id(interviewId)}`),
  /** Turns whose audio was kept (VIVA_KEEP_AUDIO): [{seq, start_ms, end_ms}]. */
  turnAudio: (interviewId) => request('GET', `/api/interviews/${id(interviewId)}/audio`),
  turnAudioUrl: (interviewId, seq) => `/api/interviews/${id(interviewId)}/turns/${id(seq)}/audio`,
  /** The scorecard, or null while there is none yet (404). */
  scorecard: async (interviewId) => {
    try {
      return await request('GET', `/api/interviews/${id(interviewId)}/scorecard`);
    } catch (err) {
      if (err.status === 404) return null;
      throw err;
    }
  },
  code: (interviewId) => request('GET', `/api/interviews/${id(interviewId)}/code`),
  score: (interviewId) => request('POST', `/api/interviews/${id(interviewId)}/score`),
  progress: (roundId) => request('GET', `/api/progress?round=${id(roundId)}`),
  progressOverview: () => request('GET', '/api/progress/overview'),
  board: (interviewId) => request('GET', `/api/interviews/${id(interviewId)}/board`),
  boardVersions: (interviewId) => request('GET', `/api/interviews/${id(interviewId)}/board/versions`),
  reportUrl: (interviewId, ext) => `/api/interviews/${id(interviewId)}/report.${ext}`,
  streamUrl: (interviewId) => {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/api/interviews/${id(interviewId)}/stream`;
  },
};
