// The live booking board: every booking as a card with its priority badges, filtered and
// ordered as GET /bookings/ does, kept current by /bookings/stream, statuses changed in place.
import { useMemo, useRef, useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { api } from '../common/api.js';
import { BOOKING_ORDERS, BOOKING_STATUSES, PRIORITY_SEGMENTS } from '../common/enums.js';
import { formatDate, rupiah } from '../common/format.js';
import { useApi } from '../common/use-api.js';
import { FilterSelect } from './filter.jsx';
import { upsertBooking } from './rules.js';
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
function BookingCard({ booking: b, typeName, fresh, onStatus }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const change = async (e) => {
    const status = e.currentTarget.value;
    setBusy(true);
    setError(null);
    try {
      await onStatus(b, status);
    } catch (err) {
      setError(err.message);
      e.currentTarget.value = b.status;
    } finally {
      setBusy(false);
    }
  };
  const statusId = `status-${b.id}`;
  return (
    <li class={`booking ${b.priority_segment}${fresh ? ' fresh' : ''}`} data-booking-id={b.id} aria-label={`Booking ${b.id}`}>
      <div class="top">
        <h3>{b.user?.name ?? `Customer ${b.user_id}`}</h3>
        <span class={`badge ${b.priority_segment}`} title="Priority segment and score">
          {b.priority_segment} · {b.priority_score}
        </span>
      </div>
      <div class="small muted">
        #{b.id} · {b.user?.email}
      </div>
      <dl>
        <dt>Service</dt>
        <dd>{typeName ?? `Type ${b.service_type_id}`}</dd>
        <dt>Event</dt>
        <dd>
          {formatDate(b.tanggal_acara)} <span class="badge level">{b.urgency_level}</span>
        </dd>
        <dt>Price</dt>
        <dd>
          {rupiah(b.price_locked)} <span class="badge level">{b.monetary_level}</span>
        </dd>
        <dt>Clients</dt>
        <dd>{b.jumlah_client}</dd>
        <dt>Booked</dt>
        <dd>{formatDate(b.tanggal_booking)}</dd>
      </dl>
      <label for={statusId}>Status</label>
      <select id={statusId} value={b.status} disabled={busy} onChange={change} aria-describedby={error ? `${statusId}-error` : undefined}>
        {BOOKING_STATUSES.map((s) => (
          <option value={s}>{s}</option>
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
  const [filter, setFilter] = useState({ segment: '', status: '', order_by: 'priority_score_desc' });
  const [fresh, setFresh] = useState(() => new Set());
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const typeNames = useServiceTypes(token, onExpired);

  const query = new URLSearchParams({ order_by: filter.order_by, limit: String(LIST_LIMIT) });
  if (filter.segment) query.set('segment', filter.segment);
  if (filter.status) query.set('status', filter.status);
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
    <Section id="board" title="Bookings" live={live}>
      <div class="card row" role="group" aria-label="Filter and order">
        <FilterSelect id="filter-segment" label="Priority segment" value={filter.segment} onChange={set('segment')} all="All segments" options={PRIORITY_SEGMENTS} />
        <FilterSelect id="filter-status" label="Status" value={filter.status} onChange={set('status')} all="All statuses" options={BOOKING_STATUSES} />
        <FilterSelect id="filter-order" label="Order" value={filter.order_by} onChange={set('order_by')} options={Object.entries(BOOKING_ORDERS)} />
      </div>
      <Alert>{error}</Alert>
      {bookings === null && !error && <p class="muted">Loading bookings…</p>}
      {bookings && (
        <>
          <p class="muted small" aria-live="polite">
            {bookings.length === 0
              ? 'No bookings match.'
              : `${bookings.length} booking${bookings.length === 1 ? '' : 's'}${bookings.length >= LIST_LIMIT ? ' (the first 500)' : ''}`}
          </p>
          <ul class="board" aria-label="Bookings">
            {bookings.map((b) => (
              <BookingCard key={b.id} booking={b} typeName={typeNames[b.service_type_id]} fresh={fresh.has(b.id)} onStatus={setStatus} />
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}
