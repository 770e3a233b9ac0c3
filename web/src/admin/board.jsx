// The live booking board: the bookings that need the owner (open ones) as cards with their
// priority badges, ordered as GET /bookings/ does, kept current by /bookings/stream,
// statuses changed in place. Finished bookings are behind the filter, without urgency; an
// open booking whose day has passed is marked overdue.
import { useMemo, useRef, useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { api } from '../common/api.js';
import common from '../common/common.messages.js';
import { BOOKING_ORDERS, BOOKING_STATUSES, PRIORITY_SEGMENTS } from '../common/enums.js';
import { useI18n } from '../common/i18n.jsx';
import { useApi } from '../common/use-api.js';
import messages from './board.messages.js';
import { FilterSelect } from './filter.jsx';
import { boardQuery, timeBadge, upsertBooking } from './rules.js';
import { Section } from './section.jsx';
import { useEventStream } from './stream.jsx';

const LIST_LIMIT = 500;

/// "Package: type" by service type id; empty until the catalogue has loaded.
function useServiceTypes(token, onExpired) {
  const { data: packages } = useApi('/services/packages', { token, onExpired });
  return useMemo(() => {
    const out = {};
    for (const p of packages ?? []) for (const t of p.service_types ?? []) out[t.id] = `${p.name}: ${t.name}`;
    return out;
  }, [packages]);
}

/** @typedef {import('../../generated/openapi.js').components['schemas']['BookingRead']} Booking */

/** @param {{booking: Booking, typeName?: string, fresh: boolean, onStatus: (b: Booking, status: Booking['status']) => Promise<void>}} props */
function BookingCard({ booking: b, typeName, fresh, onStatus, today }) {
  const { t, fmt, zone } = useI18n(messages);
  const { t: w } = useI18n(common);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const change = async (e) => {
    // Kept: after the await the event no longer has its currentTarget.
    const select = e.currentTarget;
    const status = select.value;
    setBusy(true);
    setError(null);
    try {
      await onStatus(b, status);
    } catch (err) {
      setError(err.message);
      select.value = b.status;
    } finally {
      setBusy(false);
    }
  };
  const statusId = `status-${b.id}`;
  const badge = timeBadge(b, today, zone);
  const open = badge !== null;
  return (
    <li
      class={`booking ${open ? b.priority_segment : 'finished'}${fresh ? ' fresh' : ''}`}
      data-booking-id={b.id}
      data-status={b.status}
      aria-label={t('card', { id: b.id })}
    >
      <div class="top">
        <h3>{b.user?.name ?? t('customer', { id: b.user_id })}</h3>
        {open ? (
          <span class={`badge ${b.priority_segment}`} title={t('priorityTitle')}>
            {w(`prioritySegment.${b.priority_segment}`)} · {b.priority_score}
          </span>
        ) : (
          <span class="badge level">{w(`bookingStatus.${b.status}`)}</span>
        )}
      </div>
      <div class="small muted">
        #{b.id} · {b.user?.email}
      </div>
      <dl>
        <dt>{t('service')}</dt>
        <dd>{typeName ?? t('type', { id: b.service_type_id })}</dd>
        <dt>{t('event')}</dt>
        <dd>
          {fmt.date(b.tanggal_acara)}{' '}
          {badge && (
            <span class={`badge level${badge === 'overdue' ? ' overdue' : ''}`} data-badge={badge} title={badge === 'overdue' ? t('overdueTitle') : undefined}>
              {w(`urgency.${badge}`)}
            </span>
          )}
        </dd>
        <dt>{t('price')}</dt>
        <dd>
          {fmt.money(b.price_locked)} {open && <span class="badge level">{w(`monetary.${b.monetary_level}`)}</span>}
        </dd>
        <dt>{t('clients')}</dt>
        <dd>{b.jumlah_client}</dd>
        <dt>{t('booked')}</dt>
        <dd>{fmt.date(b.tanggal_booking)}</dd>
      </dl>
      <label for={statusId}>{t('status')}</label>
      <select id={statusId} value={b.status} disabled={busy} onChange={change} aria-describedby={error ? `${statusId}-error` : undefined}>
        {BOOKING_STATUSES.map((s) => (
          <option value={s}>{w(`bookingStatus.${s}`)}</option>
        ))}
      </select>
      {error && (
        <p class="field-error" id={`${statusId}-error`} role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

export function Board({ token, onExpired }) {
  const { t, fmt } = useI18n(messages);
  const { t: w } = useI18n(common);
  const [filter, setFilter] = useState({ segment: '', status: 'open', order_by: 'priority_score_desc' });
  const [fresh, setFresh] = useState(() => new Set());
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const typeNames = useServiceTypes(token, onExpired);

  const query = boardQuery(filter, LIST_LIMIT);
  const today = fmt.today();
  const { data: bookings, error, setData: setBookings } = useApi(`/bookings/?${query}`, { token, onExpired });

  const live = useEventStream(
    '/bookings/stream',
    token,
    (type, booking) => {
      if ((type !== 'booking_created' && type !== 'booking_updated') || !booking?.id) return;
      setBookings((list) => (list ? upsertBooking(list, booking, filterRef.current) : list));
      if (type === 'booking_created') setFresh((s) => new Set(s).add(booking.id));
    },
    onExpired,
  );

  const setStatus = async (booking, status) => {
    const updated = await api(`/bookings/${booking.id}`, { method: 'PATCH', token, body: { status } });
    setBookings((list) => upsertBooking(list, updated, filterRef.current));
  };
  const set = (key) => (e) => setFilter({ ...filter, [key]: e.currentTarget.value });

  return (
    <Section id="board" title={t('title')} live={live}>
      <div class="card row" role="group" aria-label={t('filterGroup')}>
        <FilterSelect
          id="filter-status"
          label={t('show')}
          value={filter.status}
          onChange={set('status')}
          options={[
            ['open', t('show.open')],
            ['finished', t('show.finished')],
            ['all', t('show.all')],
            ...BOOKING_STATUSES.map((s) => [s, w(`bookingStatus.${s}`)]),
          ]}
        />
        <FilterSelect
          id="filter-segment"
          label={t('segment')}
          value={filter.segment}
          onChange={set('segment')}
          all={t('allSegments')}
          options={PRIORITY_SEGMENTS.map((s) => [s, w(`prioritySegment.${s}`)])}
        />
        <FilterSelect id="filter-order" label={t('order')} value={filter.order_by} onChange={set('order_by')} options={BOOKING_ORDERS.map((o) => [o, w(`order.${o}`)])} />
      </div>
      <Alert>{error}</Alert>
      {bookings === null && !error && <p class="muted">{t('loading')}</p>}
      {bookings && (
        <>
          <p class="muted small" aria-live="polite">
            {bookings.length === 0 ? t('none') : t('count', { count: bookings.length, more: String(bookings.length >= LIST_LIMIT) })}
          </p>
          <ul class="board" aria-label={t('list')}>
            {bookings.map((b) => (
              <BookingCard key={b.id} booking={b} typeName={typeNames[b.service_type_id]} fresh={fresh.has(b.id)} onStatus={setStatus} today={today} />
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}
