// Pending course registrations, oldest first, with confirm, reject (with a reason) and a
// move to the waiting list; below them the waiting list, oldest (first offered a seat)
// first. Both reload whenever /api/booking/stream reports a change, so a waitlisted booking
// that a freed seat made pending moves up by itself.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { api } from '../common/api.js';
import common from '../common/common.messages.js';
import { useI18n } from '../common/i18n.jsx';
import { useApi } from '../common/use-api.js';
import messages from './registrations.messages.js';
import { Listing } from './listing.jsx';
import { waitlistPositions } from './rules.js';
import { Section } from './section.jsx';
import { useDebounced, useEventStream } from './stream.jsx';

function Details({ booking: b }) {
  const { t } = useI18n(messages);
  const { t: w } = useI18n(common);
  return (
    <>
      <p class="small muted">
        {b.applicant_email}
        {b.applicant_wa_number ? ` · ${b.applicant_wa_number}` : ''} · {t('guardian', { name: b.guardian_name, number: b.guardian_wa_number })}
      </p>
      <p class="small">
        {t('details', {
          level: w(`courseLevel.${b.experience_level}`),
          class: b.applicant_class,
          school: b.applicant_school,
          days: b.preferred_days.map((d) => w(`weekdayShort.${d}`)).join(', '),
          start: b.preferred_time_range.start,
          end: b.preferred_time_range.end,
        })}
      </p>
    </>
  );
}

function Registration({ booking: b, token, onDone }) {
  const { t, fmt } = useI18n(messages);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const reasonRef = useRef(null);
  useLayoutEffect(() => {
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
    <li class="card" data-booking-id={b.id} data-status={b.status} aria-label={t('item', { name })}>
      <div class="top row" style={{ justifyContent: 'space-between' }}>
        <h3>{name}</h3>
        <span class="badge level">{b.course?.title ?? b.course_id}</span>
      </div>
      <Details booking={b} />
      <p class="small">{t('times', { created: fmt.dateTime(b.created_at), expires: fmt.dateTime(b.expires_at) })}</p>
      <Alert>{error}</Alert>
      {!rejecting ? (
        <div class="row">
          <button type="button" disabled={busy} onClick={() => act('confirm', undefined, 'confirmed')}>
            {t('confirm')}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => act('waitlist', undefined, 'waitlisted')}>
            {t('toWaitlist')}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => setRejecting(true)}>
            {t('reject')}
          </button>
        </div>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            act('reject', reason.trim() ? { reason: reason.trim() } : {}, 'rejected');
          }}
        >
          <label for={`reason-${b.id}`}>{t('reason')}</label>
          <textarea id={`reason-${b.id}`} ref={reasonRef} maxLength={1000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          <div class="row">
            <button type="submit" class="danger" disabled={busy}>
              {t('rejectSubmit')}
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={() => setRejecting(false)}>
              {t('back')}
            </button>
          </div>
        </form>
      )}
    </li>
  );
}

function Waiting({ booking: b, position }) {
  const { t, fmt } = useI18n(messages);
  return (
    <li class="card" data-booking-id={b.id} data-status={b.status} aria-label={t('item', { name: b.applicant_full_name })}>
      <div class="top row" style={{ justifyContent: 'space-between' }}>
        <h3>
          {position}. {b.applicant_full_name}
        </h3>
        <span class="badge level">{b.course?.title ?? b.course_id}</span>
      </div>
      <Details booking={b} />
      <p class="small">{t('waitingSince', { created: fmt.dateTime(b.created_at) })}</p>
    </li>
  );
}

export function Registrations({ token, onExpired }) {
  const { t } = useI18n(messages);
  const pendingApi = useApi('/api/booking/pending', { token, onExpired });
  const waitlistApi = useApi('/api/booking/waitlist', { token, onExpired });
  const pending = pendingApi.data?.data ?? null;
  const waiting = waitlistApi.data?.data ?? null;
  const [done, setDone] = useState(null);
  const reloadBoth = useDebounced(() => {
    pendingApi.reload();
    waitlistApi.reload();
  });
  const live = useEventStream('/api/booking/stream', token, reloadBoth, onExpired);
  // Seats are offered per course, oldest first: a place in line is within its course.
  const positions = waitlistPositions(waiting ?? []);

  const onDone = (b, outcome) => {
    pendingApi.setData((r) => ({ ...r, data: r.data.filter((x) => x.id !== b.id) }));
    if (outcome === 'waitlisted') waitlistApi.reload();
    setDone(t(outcome, { name: b.applicant_full_name, course: b.course?.title ?? t('theCourse') }));
  };

  return (
    <>
      <Section id="registrations" title={t('title')} live={live}>
        <Listing items={pending} error={pendingApi.error} notice={done} loading={t('loading')} none={t('none')}>
          {() => (
            <ul class="board" aria-label={t('list')} style={{ gridTemplateColumns: '1fr' }}>
              {pending.map((b) => (
                <Registration key={b.id} booking={b} token={token} onDone={onDone} />
              ))}
            </ul>
          )}
        </Listing>
      </Section>
      <Section id="waitlist" title={t('waitlistTitle')}>
        <Listing items={waiting} error={waitlistApi.error} none={t('waitlistNone')}>
          {() => (
            <ol class="board" aria-label={t('waitlist')} style={{ gridTemplateColumns: '1fr', listStyle: 'none', padding: 0 }}>
              {waiting.map((b, i) => (
                <Waiting key={b.id} booking={b} position={positions[i]} />
              ))}
            </ol>
          )}
        </Listing>
      </Section>
    </>
  );
}
