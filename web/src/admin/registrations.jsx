// Pending course registrations, oldest first, with confirm and reject (with a reason). The
// list reloads whenever /api/booking/stream reports a change.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { api } from '../common/api.js';
import { shortWeekday } from '../common/enums.js';
import { formatDateTime } from '../common/format.js';
import { useApi } from '../common/use-api.js';
import { Section } from './section.jsx';
import { useEventStream } from './stream.jsx';

function Registration({ booking: b, token, onDone }) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const reasonRef = useRef(null);
  useEffect(() => {
    if (rejecting) reasonRef.current?.focus();
  }, [rejecting]);

  const act = async (path, body, outcome) => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/bookings/${b.id}/${path}`, { method: 'POST', token, body });
      onDone(b, outcome);
    } catch (err) {
      setError(err.message);
      setBusy(false);
    }
  };
  const name = b.applicant_full_name;
  return (
    <li class="card" data-booking-id={b.id} aria-label={`Registration of ${name}`}>
      <div class="top row" style={{ justifyContent: 'space-between' }}>
        <h3>{name}</h3>
        <span class="badge level">{b.course?.title ?? b.course_id}</span>
      </div>
      <p class="small muted">
        {b.applicant_email}
        {b.applicant_wa_number ? ` · ${b.applicant_wa_number}` : ''} · guardian {b.guardian_name} ({b.guardian_wa_number})
      </p>
      <p class="small">
        {b.experience_level}, class {b.applicant_class} at {b.applicant_school} · {b.preferred_days.map(shortWeekday).join(', ')}{' '}
        {b.preferred_time_range.start}–{b.preferred_time_range.end}
        <br />
        Registered {formatDateTime(b.created_at)} · expires {formatDateTime(b.expires_at)}
      </p>
      <Alert>{error}</Alert>
      {!rejecting ? (
        <div class="row">
          <button type="button" disabled={busy} onClick={() => act('confirm', undefined, 'confirmed')}>
            Confirm
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => setRejecting(true)}>
            Reject…
          </button>
        </div>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            act('reject', reason.trim() ? { reason: reason.trim() } : {}, 'rejected');
          }}
        >
          <label for={`reason-${b.id}`}>Reason for rejecting (optional, sent with the rejection)</label>
          <textarea id={`reason-${b.id}`} ref={reasonRef} maxLength={1000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          <div class="row">
            <button type="submit" class="danger" disabled={busy}>
              Reject registration
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={() => setRejecting(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </li>
  );
}

export function Registrations({ token, onExpired }) {
  const { data, error, reload, setData } = useApi('/api/booking/pending', { token, onExpired });
  const pending = data?.data ?? null;
  const [done, setDone] = useState(null);
  const reloadTimer = useRef(null);
  useEffect(() => () => clearTimeout(reloadTimer.current), []);

  // Several events in a burst (a sweep expiring many) make one reload.
  const live = useEventStream(
    '/api/booking/stream',
    token,
    () => {
      clearTimeout(reloadTimer.current);
      reloadTimer.current = setTimeout(reload, 150);
    },
    onExpired,
  );

  const onDone = (b, outcome) => {
    setData((r) => ({ ...r, data: r.data.filter((x) => x.id !== b.id) }));
    setDone(
      outcome === 'confirmed'
        ? `Confirmed ${b.applicant_full_name}: an active enrollment in ${b.course?.title ?? 'the course'} was created.`
        : `Rejected the registration of ${b.applicant_full_name}.`,
    );
  };

  return (
    <Section id="registrations" title="Pending registrations" live={live}>
      <Alert kind="ok">{done}</Alert>
      <Alert>{error}</Alert>
      {pending === null && !error && <p class="muted">Loading registrations…</p>}
      {pending && pending.length === 0 && <p class="muted">No registrations are waiting.</p>}
      {pending && pending.length > 0 && (
        <ul class="board" aria-label="Pending registrations" style={{ gridTemplateColumns: '1fr' }}>
          {pending.map((b) => (
            <Registration key={b.id} booking={b} token={token} onDone={onDone} />
          ))}
        </ul>
      )}
    </Section>
  );
}
