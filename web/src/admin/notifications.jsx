// The notifications the server sends (GET /api/admin/notifications), newest first, by status
// and channel. A wa.me link (WhatsApp without credentials) is a delivery the owner sends from
// her own phone: its message is shown and the link opens WhatsApp with it. A queued or failed
// delivery can be sent again now. Reloads when either live stream reports an event.
import { useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { api } from '../common/api.js';
import { useI18n } from '../common/i18n.jsx';
import { useApi } from '../common/use-api.js';
import { FilterSelect } from './filter.jsx';
import messages from './notifications.messages.js';
import { bothLive, canRetry, CHANNELS, DELIVERY_STATUSES, EVENT_TYPES, label, listQuery, waText } from './ops-rules.js';
import { Pager } from './pager.jsx';
import { Section } from './section.jsx';
import { useDebounced, useEventStream } from './stream.jsx';

const LIMIT = 20;

function Delivery({ delivery: d, token, onRetried, onExpired }) {
  const { t, fmt } = useI18n(messages);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const text = d.channel === 'wa_link' ? waText(d.wa_link) : null;
  const base = `ntf-${d.id}`;

  const retry = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/admin/notifications/${d.id}/retry`, { method: 'POST', token });
      onRetried(d);
    } catch (err) {
      if (err.status === 401) return onExpired();
      setError(err.status === 409 ? t('retryConflict') : err.status === 404 ? t('notFound') : err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="card delivery" data-notification-id={d.id} data-channel={d.channel} data-status={d.status} aria-labelledby={`${base}-title`}>
      <div class="top">
        <h3 id={`${base}-title`}>{label(t, 'event.', EVENT_TYPES, d.event_type)}</h3>
        <span class={`badge delivery-${d.status}`} data-testid="status">
          {label(t, 'status.', DELIVERY_STATUSES, d.status)}
        </span>
      </div>
      <dl class="details small">
        <dt>{t('channel')}</dt>
        <dd>{label(t, 'channel.', CHANNELS, d.channel)}</dd>
        <dt>{t('recipient')}</dt>
        <dd class="break">{d.recipient}</dd>
        <dt>{t('attempts')}</dt>
        <dd data-testid="attempts" data-attempts={d.attempts}>
          {t('attemptCount', { count: d.attempts })}
        </dd>
        {d.last_error && (
          <>
            <dt>{t('lastError')}</dt>
            <dd class="break">{d.last_error}</dd>
          </>
        )}
        <dt>{t('created')}</dt>
        <dd>{fmt.dateTime(d.created_at)}</dd>
        <dt>{t('sent')}</dt>
        <dd>{d.sent_at ? fmt.dateTime(d.sent_at) : t('notSent')}</dd>
      </dl>
      {d.wa_link && (
        <div class="wa">
          {text !== null && (
            <>
              <h4 id={`${base}-message-title`}>{t('message')}</h4>
              <p class="wa-text" id={`${base}-message`} data-testid="wa-text">
                {text}
              </p>
            </>
          )}
          <p class="small muted">{t('waHint')}</p>
          <a class="button-link" href={d.wa_link} target="_blank" rel="noopener" aria-describedby={text !== null ? `${base}-message` : undefined}>
            {t('waSend')}
          </a>
        </div>
      )}
      {canRetry(d) && (
        <p>
          <button type="button" class="secondary" disabled={busy} onClick={retry}>
            {busy ? t('retrying') : t('retry')}
          </button>
        </p>
      )}
      <Alert>{error}</Alert>
    </li>
  );
}

export function Notifications({ token, onExpired }) {
  const { t } = useI18n(messages);
  const [filter, setFilter] = useState({ status: '', channel: '' });
  const [page, setPage] = useState(1);
  const [notice, setNotice] = useState(null);
  const { data: result, error, reload } = useApi(`/api/admin/notifications?${listQuery(filter, page, LIMIT)}`, { token, onExpired });

  // Every event may have queued messages; a burst of them makes one reload.
  const soon = useDebounced(reload, 200);
  const services = useEventStream('/bookings/stream', token, soon, onExpired);
  const courses = useEventStream('/api/booking/stream', token, soon, onExpired);

  const set = (key) => (e) => {
    setFilter({ ...filter, [key]: e.currentTarget.value });
    setPage(1);
    setNotice(null);
  };
  const retried = (d) => {
    setNotice(t('retried', { id: d.id }));
    reload();
  };

  return (
    <Section id="notifications" title={t('title')} live={bothLive(services, courses)}>
      <p class="muted small">{t('intro')}</p>
      <div class="card row" role="group" aria-label={t('filters')}>
        <FilterSelect
          id="ntf-status"
          label={t('status')}
          value={filter.status}
          onChange={set('status')}
          all={t('allStatuses')}
          options={DELIVERY_STATUSES.map((s) => [s, t(`status.${s}`)])}
        />
        <FilterSelect
          id="ntf-channel"
          label={t('channel')}
          value={filter.channel}
          onChange={set('channel')}
          all={t('allChannels')}
          options={CHANNELS.map((c) => [c, t(`channel.${c}`)])}
        />
        <button type="button" class="secondary" onClick={reload}>
          {t('refresh')}
        </button>
      </div>
      <Alert kind="ok">{notice}</Alert>
      <Alert>{error}</Alert>
      {!result && !error && <p class="muted">{t('loading')}</p>}
      {result && (
        <>
          <p class="muted small" aria-live="polite">
            {result.data.length === 0 ? t('none') : t('total', { total: result.pagination.total })}
          </p>
          {result.data.length > 0 && (
            <ul class="ops-list" aria-label={t('list')}>
              {result.data.map((d) => (
                <Delivery key={d.id} delivery={d} token={token} onRetried={retried} onExpired={onExpired} />
              ))}
            </ul>
          )}
          <Pager pagination={result.pagination} onPage={setPage} label={t('pages')} />
        </>
      )}
    </Section>
  );
}
