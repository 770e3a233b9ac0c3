// The live booking board: every booking as a card with its priority badges, filtered and
// ordered as GET /bookings/ does, kept current by /bookings/stream, statuses changed in place.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { ORDERS, SEGMENTS, STATUSES, rupiah, shortDate, upsertBooking } from './rules.js';
import { LiveBadge, useEventStream } from './stream.jsx';

const LIST_LIMIT = 500;

function useServiceTypes() {
  const [names, setNames] = useState({});
  useEffect(() => {
    api('/services/packages')
      .then((packages) => {
        const out = {};
        for (const p of packages) for (const t of p.service_types ?? []) out[t.id] = `${p.name}: ${t.name}`;
        setNames(out);
      })
      .catch(() => setNames({}));
  }, []);
  return names;
}

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
          {shortDate(b.tanggal_acara)} <span class="badge level">{b.urgency_level}</span>
        </dd>
        <dt>Price</dt>
        <dd>
          {rupiah(b.price_locked)} <span class="badge level">{b.monetary_level}</span>
        </dd>
        <dt>Clients</dt>
        <dd>{b.jumlah_client}</dd>
        <dt>Booked</dt>
        <dd>{shortDate(b.tanggal_booking)}</dd>
      </dl>
      <label for={statusId}>Status</label>
      <select id={statusId} value={b.status} disabled={busy} onChange={change} aria-describedby={error ? `${statusId}-error` : undefined}>
        {STATUSES.map((s) => (
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
  const [bookings, setBookings] = useState(null);
  const [error, setError] = useState(null);
  const [fresh, setFresh] = useState(() => new Set());
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const typeNames = useServiceTypes();

  useEffect(() => {
    let current = true;
    const query = new URLSearchParams({ order_by: filter.order_by, limit: String(LIST_LIMIT) });
    if (filter.segment) query.set('segment', filter.segment);
    if (filter.status) query.set('status', filter.status);
    setBookings(null);
    api(`/bookings/?${query}`, { token })
      .then((list) => current && (setBookings(list), setError(null)))
      .catch((err) => {
        if (err.status === 401) onExpired();
        else if (current) setError(err.message);
      });
    return () => {
      current = false;
    };
  }, [filter, token]);

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
    <section aria-labelledby="board-title">
      <div class="row" style={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <h2 id="board-title">Bookings</h2>
        <LiveBadge state={live} />
      </div>
      <div class="card row" role="group" aria-label="Filter and order">
        <div>
          <label for="filter-segment">Priority segment</label>
          <select id="filter-segment" value={filter.segment} onChange={set('segment')}>
            <option value="">All segments</option>
            {SEGMENTS.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </div>
        <div>
          <label for="filter-status">Status</label>
          <select id="filter-status" value={filter.status} onChange={set('status')}>
            <option value="">All statuses</option>
            {STATUSES.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </div>
        <div>
          <label for="filter-order">Order</label>
          <select id="filter-order" value={filter.order_by} onChange={set('order_by')}>
            {Object.entries(ORDERS).map(([value, label]) => (
              <option value={value}>{label}</option>
            ))}
          </select>
        </div>
      </div>
      {error && (
        <p class="alert error" role="alert">
          {error}
        </p>
      )}
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
    </section>
  );
}
