// Enrollments with their filters (status, course, student) and pages, as
// GET /api/booking/enrollments serves them; an enrollment's status is changed in its row
// (cancelling one frees a seat, which the server offers to the waiting list).
import { useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { api } from '../common/api.js';
import common from '../common/common.messages.js';
import { ENROLLMENT_STATUSES } from '../common/enums.js';
import { useI18n } from '../common/i18n.jsx';
import { useApi } from '../common/use-api.js';
import messages from './enrollments.messages.js';
import { FilterSelect } from './filter.jsx';
import { pageInfo } from './rules.js';
import { Section } from './section.jsx';

const LIMIT = 20;

function StatusCell({ enrollment: e, token, onChanged }) {
  const { t } = useI18n(messages);
  const { t: w } = useI18n(common);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const id = `enr-status-${e.id}`;
  const change = async (ev) => {
    const status = ev.currentTarget.value;
    const select = ev.currentTarget;
    setBusy(true);
    setError(null);
    try {
      await api(`/api/booking/enrollments/${e.id}`, { method: 'PUT', token, body: { status } });
      onChanged(e, status);
    } catch (err) {
      setError(err.message);
      select.value = e.status;
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <select id={id} aria-label={t('changeStatus', { name: e.student?.name ?? e.id })} value={e.status} disabled={busy} onChange={change}>
        {ENROLLMENT_STATUSES.map((s) => (
          <option value={s}>{w(`enrollmentStatus.${s}`)}</option>
        ))}
      </select>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

export function Enrollments({ token, onExpired }) {
  const { t, fmt } = useI18n(messages);
  const { t: w } = useI18n(common);
  const [filter, setFilter] = useState({ status: '', course_id: '', student_id: '' });
  const [page, setPage] = useState(1);
  const [notice, setNotice] = useState(null);
  const courses = useApi('/api/courses?include_inactive=true', { token, onExpired }).data?.data ?? [];
  const query = new URLSearchParams({ page: String(page), limit: String(LIMIT) });
  for (const [k, v] of Object.entries(filter)) if (v) query.set(k, v);
  const { data: result, error, reload } = useApi(`/api/booking/enrollments?${query}`, { token, onExpired });

  const set = (key) => (e) => {
    setFilter({ ...filter, [key]: e.currentTarget.value.trim() });
    setPage(1);
  };
  const changed = (e, status) => {
    setNotice(t('changed', { name: e.student?.name ?? e.id, status: w(`enrollmentStatus.${status}`) }));
    reload();
  };
  const p = result ? pageInfo(result.pagination) : null;

  return (
    <Section id="enrollments" title={t('title')}>
      <div class="card row" role="group" aria-label={t('filters')}>
        <FilterSelect
          id="enr-status"
          label={t('status')}
          value={filter.status}
          onChange={set('status')}
          all={t('allStatuses')}
          options={ENROLLMENT_STATUSES.map((s) => [s, w(`enrollmentStatus.${s}`)])}
        />
        <FilterSelect
          id="enr-course"
          label={t('course')}
          value={filter.course_id}
          onChange={set('course_id')}
          all={t('allCourses')}
          options={courses.map((c) => [c.id, c.is_active ? c.title : t('inactive', { title: c.title })])}
        />
        <div>
          <label for="enr-student">{t('studentId')}</label>
          <input id="enr-student" type="number" min="1" inputMode="numeric" value={filter.student_id} onChange={set('student_id')} />
        </div>
      </div>
      <Alert kind="ok">{notice}</Alert>
      <Alert>{error}</Alert>
      {!result && !error && <p class="muted">{t('loading')}</p>}
      {result && (
        <>
          <div class="table-wrap">
            <table aria-label={t('list')}>
              <thead>
                <tr>
                  <th scope="col">{t('student')}</th>
                  <th scope="col">{t('course')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">{t('enrolled')}</th>
                </tr>
              </thead>
              <tbody>
                {result.data.length === 0 && (
                  <tr>
                    <td colSpan={4} class="muted">
                      {t('none')}
                    </td>
                  </tr>
                )}
                {result.data.map((e) => (
                  <tr key={e.id} data-enrollment-id={e.id} data-booking-id={e.booking_id ?? ''} data-status={e.status}>
                    <td>
                      {e.student?.name ?? '—'}
                      <div class="small muted">{e.student?.email}</div>
                    </td>
                    <td>{e.course?.title}</td>
                    <td>
                      <StatusCell enrollment={e} token={token} onChanged={changed} />
                    </td>
                    <td>{fmt.date(e.enrolled_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav class="pager" aria-label={t('pages')}>
            <button type="button" class="secondary" disabled={!p.prev} onClick={() => setPage(page - 1)}>
              {t('previousPage')}
            </button>
            <span aria-live="polite">{t('pageOf', { page: p.page, pages: p.pages, total: result.pagination.total })}</span>
            <button type="button" class="secondary" disabled={!p.next} onClick={() => setPage(page + 1)}>
              {t('nextPage')}
            </button>
          </nav>
        </>
      )}
    </Section>
  );
}
