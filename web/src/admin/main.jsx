// /admin/: the dashboard. An admin signs in with the API's own login; the token stays in
// this tab's sessionStorage and goes out as a Bearer header (and as ?access_token= on the
// live streams, which EventSource cannot give headers).
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { api } from '../common/api.js';
import { Board } from './board.jsx';
import { Enrollments } from './enrollments.jsx';
import { Registrations } from './registrations.jsx';
import { Segments } from './segments.jsx';

const TOKEN_KEY = 'janji.admin.token';

const TABS = [
  { id: 'bookings', label: 'Bookings', view: Board },
  { id: 'segments', label: 'Customer segments', view: Segments },
  { id: 'registrations', label: 'Registrations', view: Registrations },
  { id: 'enrollments', label: 'Enrollments', view: Enrollments },
];

function Login({ onSignedIn, notice }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(notice);
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { access_token: token } = await api('/auth/login', { method: 'POST', form: { username: email, password } });
      const me = await api('/auth/me', { token });
      if (me.role !== 'admin') {
        setError('This account is not an admin account.');
        return;
      }
      onSignedIn(token, me);
    } catch (err) {
      if (err.status === 401) setError('Wrong email or password.');
      else if (err.status === 429) setError('Too many attempts. Wait a minute and try again.');
      else setError(err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main>
      <form class="card narrow" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Janji admin</h1>
        <p class="muted">Sign in with an admin account.</p>
        <Alert>{error}</Alert>
        <label for="login-email">Email</label>
        <input id="login-email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="login-password">Password</label>
        <input id="login-password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <p>
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </p>
      </form>
    </main>
  );
}

function currentTab() {
  const id = location.hash.slice(1);
  return TABS.some((t) => t.id === id) ? id : TABS[0].id;
}

function Dashboard({ token, me, onSignOut, onExpired }) {
  const [tab, setTab] = useState(currentTab);
  const tabRefs = useRef({});

  useEffect(() => {
    const follow = () => setTab(currentTab());
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);

  const choose = (id) => {
    history.replaceState(null, '', `#${id}`);
    setTab(id);
  };
  // Arrow keys move between tabs, as in every tab list.
  const onKeyDown = (e) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : null;
    if (next === null) return;
    const t = TABS[(next + TABS.length) % TABS.length];
    choose(t.id);
    tabRefs.current[t.id]?.focus();
  };
  const View = TABS.find((t) => t.id === tab).view;

  return (
    <>
      <header class="bar">
        <h1>Janji admin</h1>
        <span class="who">{me.name} ({me.email})</span>
        <button type="button" class="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <nav class="tabs" role="tablist" aria-label="Sections" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={t.id === tab ? 'true' : 'false'}
            aria-controls="panel"
            tabIndex={t.id === tab ? 0 : -1}
            ref={(el) => (tabRefs.current[t.id] = el)}
            onClick={() => choose(t.id)}
          >
            {t.label}
          </button>
        ))}
      </nav>
      <main id="panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        <View token={token} onExpired={onExpired} />
      </main>
    </>
  );
}

function App() {
  const [session, setSession] = useState(null); // {token, me}
  const [checking, setChecking] = useState(true);
  const [notice, setNotice] = useState(null);

  useEffect(() => {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) {
      setChecking(false);
      return;
    }
    api('/auth/me', { token })
      .then((me) => me.role === 'admin' && setSession({ token, me }))
      .catch(() => sessionStorage.removeItem(TOKEN_KEY))
      .finally(() => setChecking(false));
  }, []);

  const signIn = (token, me) => {
    sessionStorage.setItem(TOKEN_KEY, token);
    setNotice(null);
    setSession({ token, me });
  };
  const signOut = (why = null) => {
    sessionStorage.removeItem(TOKEN_KEY);
    setNotice(why);
    setSession(null);
  };

  if (checking) return <p class="muted">Loading…</p>;
  if (!session) return <Login onSignedIn={signIn} notice={notice} />;
  return (
    <Dashboard
      token={session.token}
      me={session.me}
      onSignOut={() => signOut()}
      onExpired={() => signOut('Your session has ended. Please sign in again.')}
    />
  );
}

render(<App />, document.getElementById('app'));
