// Webhook endpoints (GET/POST/DELETE /api/admin/webhooks): a form to add one, its signing
// secret shown this once after it is made, and the list (never with secrets) where each can be
// deleted after an in-page confirmation.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { api } from '../common/api.js';
import common from '../common/common.messages.js';
import { useI18n } from '../common/i18n.jsx';
import { useApi } from '../common/use-api.js';
import notifyMessages from './notifications.messages.js';
import { EVENT_TYPES, label, toggleEvent, WEBHOOK_EVENTS, webhookRefusals } from './ops-rules.js';
import { Listing } from './listing.jsx';
import { Section } from './section.jsx';
import messages from './webhooks.messages.js';

const SERVICE_EVENTS = WEBHOOK_EVENTS.filter((e) => !e.includes('.'));
const COURSE_EVENTS = WEBHOOK_EVENTS.filter((e) => e.includes('.'));
const boxId = (e) => `wh-ev-${e === '*' ? 'all' : e.replace(/\W/g, '-')}`;

/// The events of an endpoint in words.
function useEventWords() {
  const { t } = useI18n(messages);
  const { t: n } = useI18n(notifyMessages);
  return (events) => (events.includes('*') ? t('allEvents') : events.map((e) => label(n, 'event.', EVENT_TYPES, e)).join(', '));
}

function SecretBox({ endpoint, onDone }) {
  const { t } = useI18n(messages);
  const [copied, setCopied] = useState(null);
  const title = useRef(null);
  const input = useRef(null);
  // As the dialog is put in, not after the next frame: typing meanwhile stays where it went.
  useLayoutEffect(() => title.current?.focus(), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(endpoint.secret);
      setCopied('copied');
    } catch {
      // No clipboard (plain http to another host) or no permission: select it for Ctrl+C.
      input.current.focus();
      input.current.select();
      setCopied('selected');
    }
  };

  return (
    <div class="card secret-box" role="region" aria-labelledby="wh-secret-title" data-testid="webhook-secret">
      <h3 id="wh-secret-title" tabIndex={-1} ref={title}>
        {t('secretTitle')}
      </h3>
      <p class="small break">{t('secretFor', { url: endpoint.url })}</p>
      <label for="wh-secret">{t('secret')}</label>
      <div class="row">
        <input id="wh-secret" type="text" class="secret" readOnly value={endpoint.secret} ref={input} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={copy}>
          {t('copy')}
        </button>
      </div>
      <p class="alert info">{t('secretOnce')}</p>
      <Alert kind="ok">{copied && t(copied)}</Alert>
      <button type="button" class="secondary" onClick={onDone}>
        {t('secretDone')}
      </button>
    </div>
  );
}

function EventBox({ event, text, events, onToggle }) {
  const all = events.includes('*');
  const own = event === '*';
  return (
    <label class="inline" for={boxId(event)}>
      <input
        type="checkbox"
        id={boxId(event)}
        checked={own ? all : all || events.includes(event)}
        disabled={!own && all}
        onChange={(e) => onToggle(event, e.currentTarget.checked)}
      />
      <span>
        {text}
        {!own && ' '}
        {!own && <code class="small muted">{event}</code>}
      </span>
    </label>
  );
}

function WebhookForm({ token, onCreated, onExpired }) {
  const { t } = useI18n(messages);
  const { t: n } = useI18n(notifyMessages);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState([]);
  const [busy, setBusy] = useState(false);
  const [invalid, setInvalid] = useState({}); // field → message
  const [refusal, setRefusal] = useState(null);
  const field = (f) => ({ url: t('url'), events: t('events'), description: t('description') })[f] ?? f;

  const submit = async (e) => {
    e.preventDefault();
    const problems = {};
    if (!url.trim()) problems.url = t('needUrl');
    if (events.length === 0) problems.events = t('needEvents');
    setInvalid(problems);
    setRefusal(null);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const body = { url: url.trim(), events };
      if (description.trim()) body.description = description.trim();
      const { data } = await api('/api/admin/webhooks', { method: 'POST', token, body });
      setUrl('');
      setDescription('');
      setEvents([]);
      onCreated(data);
    } catch (err) {
      if (err.status === 401) return onExpired();
      const reasons = webhookRefusals(err.body);
      if (err.status === 400 && reasons.length) {
        setInvalid(Object.fromEntries(reasons.filter((r) => r.key && r.field).map((r) => [r.field, true])));
        setRefusal(`${t('refusedTitle')} ${reasons.map((r) => (r.key ? t(r.key, { field: field(r.field) }) : r.text)).join(' ')}`);
      } else setRefusal(err.message);
    } finally {
      setBusy(false);
    }
  };
  const toggle = (event, on) => setEvents(toggleEvent(events, event, on));
  const fieldError = (key) =>
    typeof invalid[key] === 'string' && (
      <p class="field-error" id={`wh-${key}-error`}>
        {invalid[key]}
      </p>
    );

  return (
    <form class="card webhook-form" onSubmit={submit} noValidate aria-labelledby="wh-new-title">
      <h3 id="wh-new-title">{t('newTitle')}</h3>
      <Alert>{refusal}</Alert>
      <label for="wh-url">{t('url')}</label>
      <input
        id="wh-url"
        type="url"
        inputMode="url"
        autocomplete="off"
        placeholder="https://"
        maxLength={2000}
        value={url}
        aria-invalid={invalid.url ? 'true' : undefined}
        aria-describedby={`wh-url-hint${typeof invalid.url === 'string' ? ' wh-url-error' : ''}`}
        onInput={(e) => setUrl(e.currentTarget.value)}
      />
      <p class="hint" id="wh-url-hint">
        {t('urlHint')}
      </p>
      {fieldError('url')}
      <label for="wh-description">{t('description')}</label>
      <input id="wh-description" type="text" maxLength={500} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      <fieldset aria-invalid={invalid.events ? 'true' : undefined} aria-describedby={typeof invalid.events === 'string' ? 'wh-events-error' : undefined}>
        <legend>{t('events')}</legend>
        <EventBox event="*" text={t('allEvents')} events={events} onToggle={toggle} />
        <p class="small muted event-group">{t('serviceEvents')}</p>
        <div class="events">
          {SERVICE_EVENTS.map((e) => (
            <EventBox event={e} text={n(`event.${e}`)} events={events} onToggle={toggle} />
          ))}
        </div>
        <p class="small muted event-group">{t('courseEvents')}</p>
        <div class="events">
          {COURSE_EVENTS.map((e) => (
            <EventBox event={e} text={n(`event.${e}`)} events={events} onToggle={toggle} />
          ))}
        </div>
        {fieldError('events')}
      </fieldset>
      <button type="submit" disabled={busy}>
        {busy ? t('adding') : t('add')}
      </button>
    </form>
  );
}

function EndpointRow({ endpoint: e, token, onDeleted, onExpired }) {
  const { t, fmt } = useI18n(messages);
  const { t: w } = useI18n(common);
  const words = useEventWords();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const yes = useRef(null);
  const start = useRef(null);
  const asked = useRef(false);
  useLayoutEffect(() => {
    if (confirming) yes.current?.focus();
    else if (asked.current) start.current?.focus();
    asked.current = confirming;
  }, [confirming]);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/admin/webhooks/${e.id}`, { method: 'DELETE', token });
      onDeleted(e);
    } catch (err) {
      if (err.status === 401) return onExpired();
      setError(err.status === 404 ? t('gone') : err.message);
      setBusy(false);
    }
  };

  return (
    <tr data-webhook-id={e.id}>
      <td class="break">{e.url}</td>
      <td>{words(e.events)}</td>
      <td>{e.description || '—'}</td>
      <td>{fmt.dateTime(e.created_at)}</td>
      <td>
        {!confirming ? (
          <button type="button" class="secondary" ref={start} aria-label={t('deleteOne', { url: e.url })} onClick={() => setConfirming(true)}>
            {w('delete')}
          </button>
        ) : (
          <div class="confirm" role="group" aria-labelledby={`wh-confirm-${e.id}`}>
            <p id={`wh-confirm-${e.id}`} class="small">
              {t('confirmDelete')}
            </p>
            <div class="row">
              <button type="button" class="danger" ref={yes} disabled={busy} onClick={remove}>
                {busy ? t('deleting') : t('confirmYes')}
              </button>
              <button type="button" class="secondary" disabled={busy} onClick={() => setConfirming(false)}>
                {w('cancel')}
              </button>
            </div>
          </div>
        )}
        <Alert>{error}</Alert>
      </td>
    </tr>
  );
}

export function Webhooks({ token, onExpired }) {
  const { t } = useI18n(messages);
  const { data: result, error, reload } = useApi('/api/admin/webhooks', { token, onExpired });
  const [created, setCreated] = useState(null);
  const [notice, setNotice] = useState(null);
  const endpoints = result?.data ?? null;

  const onCreated = (endpoint) => {
    setNotice(null);
    setCreated(endpoint);
    reload();
  };
  const onDeleted = (endpoint) => {
    setNotice(t('deleted', { url: endpoint.url }));
    reload();
  };

  return (
    <Section id="webhooks" title={t('title')}>
      <p class="muted small">{t('intro')}</p>
      {created && <SecretBox endpoint={created} onDone={() => setCreated(null)} />}
      <WebhookForm token={token} onCreated={onCreated} onExpired={onExpired} />
      <h3 id="wh-list-title">{t('listTitle')}</h3>
      <Alert kind="ok">{notice}</Alert>
      <Listing items={endpoints} error={error} loading={t('loading')} none={t('none')}>
        {() => (
          <div class="table-wrap">
            <table aria-label={t('list')} data-testid="webhook-list">
              <thead>
                <tr>
                  <th scope="col">{t('url')}</th>
                  <th scope="col">{t('events')}</th>
                  <th scope="col">{t('descriptionColumn')}</th>
                  <th scope="col">{t('when')}</th>
                  <th scope="col">{t('actions')}</th>
                </tr>
              </thead>
              <tbody>
                {endpoints.map((e) => (
                  <EndpointRow key={e.id} endpoint={e} token={token} onDeleted={onDeleted} onExpired={onExpired} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Listing>
    </Section>
  );
}
