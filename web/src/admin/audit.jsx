// The audit log (GET /api/admin/audit), newest first, by kind of record, record id and the
// user who made the change. Each entry opens to its record before and after, field by field,
// the changed fields marked, and the JSON as the server keeps it.
import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { useI18n } from '../common/i18n.jsx';
import { useApi } from '../common/use-api.js';
import messages from './audit.messages.js';
import { FilterSelect } from './filter.jsx';
import { AUDIT_ACTIONS, auditDiff, label, listQuery, showJson, SUBJECT_TYPES, validActorId } from './ops-rules.js';
import { Pager } from './pager.jsx';
import { Section } from './section.jsx';

const LIMIT = 20;
const TYPING_PAUSE = 300;

function Changes({ entry: e }) {
  const { t } = useI18n(messages);
  const rows = auditDiff(e.before, e.after);
  const changed = rows.filter((r) => r.change !== 'same').length;
  const shown = (v) => (v === undefined || v === null ? <span class="muted">{t('nothing')}</span> : showJson(v));
  return (
    <details class="audit-changes">
      <summary>
        {t('showChanges')} <span class="small muted">({t('changedCount', { count: changed })})</span>
      </summary>
      <div class="table-wrap">
        <table class="diff" aria-label={t('showChanges')}>
          <thead>
            <tr>
              <th scope="col">{t('field')}</th>
              <th scope="col">{t('before')}</th>
              <th scope="col">{t('after')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr class={`diff-${r.change}`} data-field={r.field} data-change={r.change}>
                <th scope="row">
                  {r.field || t('whole')}
                  {r.change !== 'same' && <span class="badge level diff-mark">{t(`change.${r.change}`)}</span>}
                </th>
                <td class="json">{shown(r.before)}</td>
                <td class="json">{shown(r.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="raw-json">
        <div>
          <h4>{t('rawBefore')}</h4>
          <pre>{JSON.stringify(e.before, null, 2)}</pre>
        </div>
        <div>
          <h4>{t('rawAfter')}</h4>
          <pre>{JSON.stringify(e.after, null, 2)}</pre>
        </div>
      </div>
    </details>
  );
}

function Entry({ entry: e }) {
  const { t, fmt } = useI18n(messages);
  const base = `audit-${e.id}`;
  return (
    <li
      class="card audit-entry"
      data-audit-id={e.id}
      data-action={e.action}
      data-subject-type={e.subject_type}
      data-subject-id={e.subject_id}
      data-actor-id={e.actor_id ?? ''}
      aria-labelledby={`${base}-title`}
    >
      <div class="top">
        <h3 id={`${base}-title`}>{label(t, 'action.', AUDIT_ACTIONS, e.action)}</h3>
        <span class="small muted">{fmt.dateTime(e.at)}</span>
      </div>
      <dl class="details small">
        <dt>{t('subject')}</dt>
        <dd class="break">
          {label(t, 'subject.', SUBJECT_TYPES, e.subject_type)} · <code>{e.subject_id}</code>
        </dd>
        <dt>{t('actor')}</dt>
        <dd>{e.actor_id === null || e.actor_id === undefined ? t('system') : t('actorUser', { id: e.actor_id })}</dd>
      </dl>
      <Changes entry={e} />
    </li>
  );
}

export function Audit({ token, onExpired }) {
  const { t } = useI18n(messages);
  const [subjectType, setSubjectType] = useState('');
  const [typed, setTyped] = useState({ subject_id: '', actor_id: '' });
  const [applied, setApplied] = useState(typed);
  const [page, setPage] = useState(1);
  const actorOk = validActorId(typed.actor_id);

  // Typing waits for a pause before it asks the server; a wrong actor id asks nothing.
  useEffect(() => {
    if (!actorOk) return undefined;
    const next = { subject_id: typed.subject_id.trim(), actor_id: typed.actor_id.trim() };
    if (next.subject_id === applied.subject_id && next.actor_id === applied.actor_id) return undefined;
    const timer = setTimeout(() => {
      setApplied(next);
      setPage(1);
    }, TYPING_PAUSE);
    return () => clearTimeout(timer);
  }, [typed.subject_id, typed.actor_id, actorOk]);

  const query = listQuery({ subject_type: subjectType, ...applied }, page, LIMIT);
  const { data: result, error } = useApi(`/api/admin/audit?${query}`, { token, onExpired });
  const type = (key) => (e) => setTyped({ ...typed, [key]: e.currentTarget.value });

  return (
    <Section id="audit" title={t('title')}>
      <p class="muted small">{t('intro')}</p>
      <div class="card row" role="group" aria-label={t('filters')}>
        <FilterSelect
          id="audit-type"
          label={t('subjectType')}
          value={subjectType}
          onChange={(e) => {
            setSubjectType(e.currentTarget.value);
            setPage(1);
          }}
          all={t('allTypes')}
          options={SUBJECT_TYPES.map((s) => [s, t(`subject.${s}`)])}
        />
        <div>
          <label for="audit-subject">{t('subjectId')}</label>
          <input id="audit-subject" type="text" autocomplete="off" maxLength={64} value={typed.subject_id} onInput={type('subject_id')} />
        </div>
        <div>
          <label for="audit-actor">{t('actorId')}</label>
          <input
            id="audit-actor"
            type="text"
            inputMode="numeric"
            autocomplete="off"
            value={typed.actor_id}
            aria-invalid={actorOk ? undefined : 'true'}
            aria-describedby={actorOk ? undefined : 'audit-actor-error'}
            onInput={type('actor_id')}
          />
          {!actorOk && (
            <p class="field-error" id="audit-actor-error">
              {t('actorInvalid')}
            </p>
          )}
        </div>
      </div>
      <Alert>{error}</Alert>
      {!result && !error && <p class="muted">{t('loading')}</p>}
      {result && (
        <>
          <p class="muted small" aria-live="polite" data-testid="audit-total">
            {result.data.length === 0 ? t('none') : t('total', { total: result.pagination.total })}
          </p>
          {result.data.length > 0 && (
            <ul class="ops-list" aria-label={t('list')}>
              {result.data.map((e) => (
                <Entry key={e.id} entry={e} />
              ))}
            </ul>
          )}
          <Pager pagination={result.pagination} onPage={setPage} label={t('pages')} />
        </>
      )}
    </Section>
  );
}
