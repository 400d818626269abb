// The signed-in user. The JWT lives in localStorage so a reload keeps the
// session; any 401 from the API ends it (see api.js).

const KEY = 'wrenn.session';
const listeners = new Set();

export function current() {
  try {
    const session = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    return session && session.token ? session : null;
  } catch {
    return null;
  }
}

export function signIn({ token, user_id, team_id, email }) {
  localStorage.setItem(KEY, JSON.stringify({ token, user_id, team_id, email }));
  listeners.forEach((fn) => fn(current()));
}

export function signOut(reason) {
  localStorage.removeItem(KEY);
  listeners.forEach((fn) => fn(null, reason));
}

export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
