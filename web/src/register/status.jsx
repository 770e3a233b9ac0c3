// /register/status?token=…: the applicant's own registration, reached from the link in its
// messages. Shows the booking and its course, and cancels it while it is pending or
// waitlisted. Indonesian first, with an English switch that the browser remembers; times in
// the business's time zone, named on the page.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { api } from '../common/api.js';
import common from '../common/common.messages.js';
import { I18nProvider, LangSwitch, useI18n } from '../common/i18n.jsx';
import messages from './status.messages.js';

/// What the page says of a failed request: its own words for what it recognises (the link
/// unknown, the server unreachable, a booking past cancelling), else the server's.
function failure(err, conflictKey) {
  if (err.status === 0) return { key: 'unreachable' };
  if (err.status === 404) return { key: 'notFound' };
  if (err.status === 409 && conflictKey) return { key: conflictKey };
  return { text: err.message };
}

function StatusPage() {
  const { t, fmt, zone } = useI18n(messages);
  const { t: w } = useI18n(common);
  const [state, setState] = useState({ loading: true });
  const [busy, setBusy] = useState(false);
  const token = new URLSearchParams(location.search).get('token') ?? '';

  useEffect(() => {
    if (!token) {
      setState({ error: { key: 'noToken' } });
      return;
    }
    api(`/api/booking/manage/${encodeURIComponent(token)}`)
      .then(({ data }) => setState({ data }))
      .catch((e) => setState({ error: failure(e) }));
  }, [token]);

  const cancel = async () => {
    if (!confirm(t('confirmCancel'))) return;
    setBusy(true);
    try {
      const { data } = await api(`/api/booking/manage/${encodeURIComponent(token)}/cancel`, {
        method: 'POST',
      });
      setState({ data: { ...state.data, booking: data.booking }, notice: 'cancelled' });
    } catch (e) {
      setState({ ...state, notice: null, error: failure(e, 'cannotCancel') });
    } finally {
      setBusy(false);
    }
  };

  const { data, error } = state;
  const booking = data?.booking;
  const cancellable = booking && (booking.status === 'pending' || booking.status === 'waitlisted');
  return (
    <main class="narrow card">
      <div class="row" style={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <h1>{t('title')}</h1>
        <LangSwitch />
      </div>
      {state.loading && <p>{w('loading')}</p>}
      <Alert>{error && (error.text ?? t(error.key))}</Alert>
      <Alert kind="ok">{state.notice && t(state.notice)}</Alert>
      {booking && (
        <>
          <dl class="details" data-testid="booking">
            <dt>{t('course')}</dt>
            <dd>{data.course.title}</dd>
            <dt>{t('student')}</dt>
            <dd>{booking.applicant_full_name}</dd>
            <dt>{t('status')}</dt>
            <dd data-testid="status">{w(`courseBookingStatus.${booking.status}`)}</dd>
            <dt>{t('price')}</dt>
            <dd>{fmt.money(data.course.price_per_session)}</dd>
            {booking.status === 'pending' && (
              <>
                <dt>{t('expires')}</dt>
                <dd data-testid="expires">{fmt.long(booking.expires_at)}</dd>
              </>
            )}
            <dt>{t('registered')}</dt>
            <dd data-testid="registered">{fmt.long(booking.created_at)}</dd>
          </dl>
          <p class="small muted zone" data-testid="zone">
            {w('zone', { name: fmt.zoneName(), zone })}
          </p>
        </>
      )}
      {cancellable && (
        <button type="button" class="danger" disabled={busy} onClick={cancel}>
          {t('cancel')}
        </button>
      )}
    </main>
  );
}

render(
  <I18nProvider catalogue={messages} title="title">
    <StatusPage />
  </I18nProvider>,
  document.getElementById('app'),
);
