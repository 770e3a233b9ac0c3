// /admin/: the dashboard. An admin signs in with the API's own login; the token stays in
// this tab's sessionStorage and goes out as a Bearer header (and as ?access_token= on the
// live streams, which EventSource cannot give headers). Indonesian first (i18n.jsx).
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { api } from '../common/api.js';
import { I18nProvider, LangSwitch, useI18n } from '../common/i18n.jsx';
import { Audit } from './audit.jsx';
import { Board } from './board.jsx';
import { Calendar } from './calendar.jsx';
import { Catalogue } from './catalogue.jsx';
import { Courses } from './courses.jsx';
import { Enrollments } from './enrollments.jsx';
import messages from './main.messages.js';
import common from '../common/common.messages.js';
import { Notifications } from './notifications.jsx';
import { Registrations } from './registrations.jsx';
import { Segments } from './segments.jsx';
import { Webhooks } from './webhooks.jsx';

const TOKEN_KEY = 'janji.admin.token';

const TABS = [
  { id: 'bookings', view: Board },
  { id: 'calendar', view: Calendar },
  { id: 'catalogue', view: Catalogue },
  { id: 'segments', view: Segments },
  { id: 'registrations', view: Registrations },
  { id: 'courses', view: Courses },
  { id: 'enrollments', view: Enrollments },
  { id: 'notifications', view: Notifications },
  { id: 'webhooks', view: Webhooks },
  { id: 'audit', view: Audit },
];

function Login({ onSignedIn, notice }) {
  const { t } = useI18n(messages);
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
        setError('notAdmin');
        return;
      }
      onSignedIn(token, me);
    } catch (err) {
      if (err.status === 401) setError('wrongPassword');
      else if (err.status === 429) setError('tooMany');
      else setError(err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main>
      <form class="card narrow" onSubmit={submit} aria-labelledby="login-title">
        <div class="row" style={{ justifyContent: 'space-between', alignItems: 'center' }}>
          <h1 id="login-title">{t('title')}</h1>
          <LangSwitch />
        </div>
        <p class="muted">{t('signInHint')}</p>
        <Alert>{error && t(error)}</Alert>
        <label for="login-email">{t('email')}</label>
        <input id="login-email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="login-password">{t('password')}</label>
        <input id="login-password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <p>
          <button type="submit" disabled={busy}>
            {busy ? t('signingIn') : t('signIn')}
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
  const { t, fmt, zone } = useI18n(messages);
  const { t: w } = useI18n(common);
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
    const to = TABS[(next + TABS.length) % TABS.length];
    choose(to.id);
    tabRefs.current[to.id]?.focus();
  };
  const View = TABS.find((t) => t.id === tab).view;

  return (
    <>
      <header class="bar">
        <h1>{t('title')}</h1>
        <span class="who">
          {me.name} ({me.email})
        </span>
        <LangSwitch />
        <button type="button" class="secondary" onClick={onSignOut}>
          {t('signOut')}
        </button>
      </header>
      <nav class="tabs" role="tablist" aria-label={t('sections')} onKeyDown={onKeyDown}>
        {TABS.map((tb) => (
          <button
            type="button"
            role="tab"
            id={`tab-${tb.id}`}
            aria-selected={tb.id === tab ? 'true' : 'false'}
            aria-controls="panel"
            tabIndex={tb.id === tab ? 0 : -1}
            ref={(el) => (tabRefs.current[tb.id] = el)}
            onClick={() => choose(tb.id)}
          >
            {t(`tab.${tb.id}`)}
          </button>
        ))}
      </nav>
      <main id="panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        <p class="small muted zone" data-testid="zone">
          {w('zone', { name: fmt.zoneName(), zone })}
        </p>
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

  if (checking) return null;
  if (!session) return <Login onSignedIn={signIn} notice={notice} />;
  return (
    <Dashboard
      token={session.token}
      me={session.me}
      onSignOut={() => signOut()}
      onExpired={() => signOut('expired')}
    />
  );
}

render(
  <I18nProvider catalogue={messages} title="title">
    <App />
  </I18nProvider>,
  document.getElementById('app'),
);
