// The make-up artist's calendar: a month as a table of weeks (Monday first), each date with
// its booked clients, capacity and what remains (GET /calendar), marked as a day off, full,
// a custom capacity or past. Choosing a date opens its editor below the grid: a capacity
// (PUT /calendar/{date}), a day off (capacity 0) or the default again (DELETE). The month
// reloads whenever /bookings/stream reports a booking, so the numbers follow.
//
// Keyboard: only one date of the grid is in the tab order; the arrow keys, Home/End and
// Page Up/Page Down move between dates (and months), Enter or Space opens one.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { api } from '../common/api.js';
import common from '../common/common.messages.js';
import { useI18n } from '../common/i18n.jsx';
import { useApi } from '../common/use-api.js';
import {
  byDate,
  dayState,
  focusDateIn,
  gridRange,
  keyTarget,
  MAX_CAPACITY,
  monthOf,
  monthWeeks,
  parseCapacity,
  stepMonth,
  WEEKDAYS,
} from './calendar-rules.js';
import messages from './calendar.messages.js';
import { Section } from './section.jsx';
import { useDebounced, useEventStream } from './stream.jsx';

/// The accessible name of a date's button: the date, its numbers, its marks.
function dayLabel(t, fmt, date, day, st, today) {
  const name = fmt.day(date);
  if (!day) return name;
  const parts = [
    st.unlimited
      ? t('dayCountUnlimited', { date: name, booked: day.booked_clients })
      : t('dayCount', { date: name, booked: day.booked_clients, capacity: day.capacity, remaining: day.remaining ?? 0 }),
  ];
  if (st.blocked) parts.push(t('aria.blocked'));
  if (st.full) parts.push(t('aria.full'));
  if (st.overridden && !st.blocked) parts.push(t('aria.overridden'));
  if (date === today) parts.push(t('aria.today'));
  if (st.past) parts.push(t('aria.past'));
  return parts.join(', ');
}

function DayCell({ cell, day, st, today, selected, tabbable, onChoose, onKey }) {
  const { t, fmt } = useI18n(messages);
  const { date } = cell;
  const classes = ['day'];
  if (!cell.inMonth) classes.push('outside');
  if (st) {
    classes.push(st.state);
    if (st.overridden) classes.push('overridden');
    if (st.past) classes.push('past');
  }
  if (date === today) classes.push('today');
  if (date === selected) classes.push('selected');
  return (
    <td>
      <button
        type="button"
        class={classes.join(' ')}
        data-date={date}
        data-state={st?.state}
        tabIndex={tabbable ? 0 : -1}
        aria-label={dayLabel(t, fmt, date, day, st, today)}
        aria-current={date === today ? 'date' : undefined}
        onClick={() => onChoose(date)}
        onKeyDown={(e) => onKey(e, date)}
      >
        <span class="num">{cell.day}</span>
        {day && (
          <>
            <span class="count">
              {st.unlimited ? t('cellUnlimited', { booked: day.booked_clients }) : t('cellCount', { booked: day.booked_clients, capacity: day.capacity })}
            </span>
            {st.blocked ? (
              <span class="cal-tag blocked">{t('tag.blocked')}</span>
            ) : st.full ? (
              <span class="cal-tag full">{t('tag.full')}</span>
            ) : (
              !st.unlimited && <span class="rest">{t('cellRemaining', { remaining: day.remaining })}</span>
            )}
            {st.overridden && !st.blocked && <span class="cal-tag overridden">{t('tag.overridden')}</span>}
          </>
        )}
      </button>
    </td>
  );
}

/// The editor of one date: its numbers, and its capacity to set, block or restore.
function DayEditor({ date, day, st, token, onExpired, onChanged, onClose, headingRef }) {
  const { t, fmt } = useI18n(messages);
  const { t: w } = useI18n(common);
  const [value, setValue] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState(null);
  const [error, setError] = useState(null);
  const capacity = day?.capacity;
  useEffect(() => {
    if (capacity !== undefined) setValue(capacity === null ? '' : String(capacity));
  }, [capacity]);

  const name = fmt.day(date);
  // Buttons stay enabled while a request runs (a disabled button would drop the keyboard's
  // focus); a second press meanwhile does nothing.
  const run = async (request, done) => {
    if (busy) return;
    setBusy(true);
    setNotice(null);
    setError(null);
    try {
      await request();
      setNotice(done);
      onChanged();
    } catch (err) {
      if (err.status === 401) onExpired?.();
      else if (err.status === 403) setError(t('forbidden'));
      else if (err.status === 422) setError(t('invalidCapacity'));
      else setError(err.message);
    } finally {
      setBusy(false);
    }
  };
  const put = (n) => api(`/calendar/${date}`, { method: 'PUT', token, body: { capacity: n } });
  const save = (e) => {
    e.preventDefault();
    const n = parseCapacity(value);
    setInvalid(n === null);
    if (n === null) return;
    run(() => put(n), n === 0 ? t('blocked', { date: name }) : t('saved', { date: name, capacity: n }));
  };
  const block = () => {
    setInvalid(false);
    setValue('0');
    run(() => put(0), t('blocked', { date: name }));
  };
  const restore = () => {
    setInvalid(false);
    run(() => api(`/calendar/${date}`, { method: 'DELETE', token }), t('restored', { date: name }));
  };

  const capacityText = !day
    ? '—'
    : day.capacity === null
      ? t('unlimited')
      : day.capacity === 0
        ? t('capacity.off')
        : t(st.overridden ? 'capacity.own' : 'capacity.default', { capacity: day.capacity });
  return (
    <section class="card cal-editor" aria-labelledby="cal-editor-title" onKeyDown={(e) => e.key === 'Escape' && onClose()} data-testid="calendar-editor">
      <p class="small muted">{t('editor')}</p>
      <h3 id="cal-editor-title" tabIndex={-1} ref={headingRef}>
        {name}
      </h3>
      {day && (
        <dl class="details">
          <dt>{t('booked')}</dt>
          <dd data-testid="booked">{day.booked_clients}</dd>
          <dt>{t('capacity')}</dt>
          <dd>{capacityText}</dd>
          <dt>{t('remaining')}</dt>
          <dd>{day.remaining === null ? t('unlimited') : day.remaining}</dd>
        </dl>
      )}
      <Alert kind="ok">{notice}</Alert>
      <Alert>{error}</Alert>
      {st?.past ? (
        <p class="muted">{t('pastNote')}</p>
      ) : (
        <form onSubmit={save} noValidate aria-busy={busy ? 'true' : 'false'}>
          <label for="cal-capacity">{t('capacityLabel')}</label>
          <input
            id="cal-capacity"
            type="number"
            min="0"
            max={MAX_CAPACITY}
            step="1"
            inputMode="numeric"
            value={value}
            aria-invalid={invalid ? 'true' : undefined}
            aria-describedby={invalid ? 'cal-capacity-hint cal-capacity-error' : 'cal-capacity-hint'}
            onInput={(e) => setValue(e.currentTarget.value)}
          />
          <p class="hint" id="cal-capacity-hint">
            {t('capacityHint')}
            {day?.booked_clients > 0 && ` ${t('keepsBookings')}`}
          </p>
          {invalid && (
            <p class="field-error" id="cal-capacity-error" role="alert">
              {t('invalidCapacity')}
            </p>
          )}
          <div class="cal-actions">
            <button type="submit">{busy ? t('saving') : w('save')}</button>
            <button type="button" class="secondary" onClick={block}>
              {t('block')}
            </button>
            <button type="button" class="secondary" onClick={restore}>
              {t('restore')}
            </button>
            <button type="button" class="secondary" onClick={onClose}>
              {t('close')}
            </button>
          </div>
        </form>
      )}
      {st?.past && (
        <button type="button" class="secondary" onClick={onClose}>
          {t('close')}
        </button>
      )}
    </section>
  );
}

export function Calendar({ token, onExpired }) {
  const { t, fmt, settings } = useI18n(messages);
  const { t: w } = useI18n(common);
  const today = fmt.today();
  const defaultCapacity = settings?.daily_client_capacity ?? null;
  const [month, setMonth] = useState(() => monthOf(today));
  const [selected, setSelected] = useState(null);
  const [active, setActive] = useState(null); // the date the keys moved to
  const focusGrid = useRef(false);
  const focusEditor = useRef(false);
  const tableRef = useRef(null);
  const headingRef = useRef(null);

  const weeks = useMemo(() => monthWeeks(month), [month]);
  const { from, to } = gridRange(month);
  const { data, error, reload } = useApi(`/calendar?from=${from}&to=${to}`, { token, onExpired });
  const days = useMemo(() => byDate(data), [data]);
  const reloadSoon = useDebounced(reload);
  const live = useEventStream(
    '/bookings/stream',
    token,
    (type) => {
      if (type === 'booking_created' || type === 'booking_updated') reloadSoon();
    },
    onExpired,
  );

  const inGrid = (d) => d >= from && d <= to;
  const tabDate = active && inGrid(active) ? active : focusDateIn(month, today, selected);

  // Before the page is painted: keys pressed meanwhile (Escape in the editor) go to what
  // the reader sees focused.
  useLayoutEffect(() => {
    if (focusGrid.current) tableRef.current?.querySelector(`button[data-date="${tabDate}"]`)?.focus();
    focusGrid.current = false;
    // The editor's heading as soon as it is there: a render may come before the editor's.
    if (focusEditor.current && headingRef.current) {
      headingRef.current.focus();
      focusEditor.current = false;
    }
  });

  const showMonth = (ym) => {
    setMonth(ym);
    setActive(null);
  };
  const choose = (date) => {
    setSelected(date);
    setActive(date);
    focusEditor.current = true;
  };
  const close = () => {
    focusGrid.current = inGrid(selected);
    setActive(selected);
    setSelected(null);
  };
  const onKey = (e, date) => {
    const target = keyTarget(date, e.key);
    if (!target) return;
    e.preventDefault();
    setActive(target);
    // Within the month the date's button is there already: focus it now, so that keys pressed
    // in quick succession each start from where the last one went. Another month's grid is
    // focused once it is drawn.
    if (monthOf(target) === month) tableRef.current?.querySelector(`button[data-date="${target}"]`)?.focus();
    else {
      setMonth(monthOf(target));
      focusGrid.current = true;
    }
  };

  const selectedDay = selected ? days.get(selected) : undefined;
  const stateOf = (day) => (day ? dayState(day, today, defaultCapacity) : null);

  return (
    <Section id="calendar" title={t('title')} live={live}>
      <p class="muted small">{defaultCapacity === null ? t('defaultUnlimited') : t('defaultCapacity', { capacity: defaultCapacity })}</p>
      <div class="cal-nav" role="group" aria-label={t('months')}>
        <button type="button" class="secondary" aria-label={t('previousMonth')} onClick={() => showMonth(stepMonth(month, -1))}>
          ‹
        </button>
        <h3 id="cal-month" aria-live="polite" data-month={month}>
          {fmt.month(month)}
        </h3>
        <button type="button" class="secondary" aria-label={t('nextMonth')} onClick={() => showMonth(stepMonth(month, 1))}>
          ›
        </button>
        <button type="button" class="secondary" onClick={() => showMonth(monthOf(today))}>
          {t('thisMonth')}
        </button>
      </div>
      <p class="muted small" id="cal-keys">
        {t('keysHint')}
      </p>
      <Alert>{error}</Alert>
      {data === null && !error && <p class="muted small">{t('loading')}</p>}
      <table class="calendar" ref={tableRef} aria-labelledby="cal-month" aria-describedby="cal-keys">
        <thead>
          <tr>
            {WEEKDAYS.map((k) => (
              <th scope="col">
                <span aria-hidden="true">{w(`weekdayShort.${k}`)}</span>
                <span class="sr-only">{w(`weekday.${k}`)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0].date}>
              {week.map((cell) => {
                const day = days.get(cell.date);
                return (
                  <DayCell
                    key={cell.date}
                    cell={cell}
                    day={day}
                    st={stateOf(day)}
                    today={today}
                    selected={selected}
                    tabbable={cell.date === tabDate}
                    onChoose={choose}
                    onKey={onKey}
                  />
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <ul class="cal-legend small" aria-label={t('legend')}>
        <li>
          <span class="cal-sample">
            {defaultCapacity === null ? t('cellUnlimited', { booked: 1 }) : t('cellCount', { booked: 1, capacity: defaultCapacity })}
          </span>{' '}
          {t('legend.count')}
        </li>
        <li>
          <span class="cal-tag blocked">{t('tag.blocked')}</span> {t('legend.blocked')}
        </li>
        <li>
          <span class="cal-tag full">{t('tag.full')}</span> {t('legend.full')}
        </li>
        <li>
          <span class="cal-tag overridden">{t('tag.overridden')}</span> {t('legend.overridden')}
        </li>
        <li class="muted">{t('legend.past')}</li>
      </ul>
      {selected && (
        <DayEditor
          key={selected}
          date={selected}
          day={selectedDay}
          st={stateOf(selectedDay)}
          token={token}
          onExpired={onExpired}
          onChanged={reload}
          onClose={close}
          headingRef={headingRef}
        />
      )}
    </Section>
  );
}
