// Enrollments with their filters (status, course, student) and pages, as
// GET /api/booking/enrollments serves them.
import { useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { ENROLLMENT_STATUSES } from '../common/enums.js';
import { formatDate } from '../common/format.js';
import { useApi } from '../common/use-api.js';
import { FilterSelect } from './filter.jsx';
import { pageInfo } from './rules.js';
import { Section } from './section.jsx';

const LIMIT = 20;

export function Enrollments({ token, onExpired }) {
  const [filter, setFilter] = useState({ status: '', course_id: '', student_id: '' });
  const [page, setPage] = useState(1);
  const courses = useApi('/api/courses?include_inactive=true', { token, onExpired }).data?.data ?? [];
  const query = new URLSearchParams({ page: String(page), limit: String(LIMIT) });
  for (const [k, v] of Object.entries(filter)) if (v) query.set(k, v);
  const { data: result, error } = useApi(`/api/booking/enrollments?${query}`, { token, onExpired });

  const set = (key) => (e) => {
    setFilter({ ...filter, [key]: e.currentTarget.value.trim() });
    setPage(1);
  };
  const pages = result ? pageInfo(result.pagination) : null;

  return (
    <Section id="enrollments" title="Enrollments">
      <div class="card row" role="group" aria-label="Filters">
        <FilterSelect id="enr-status" label="Status" value={filter.status} onChange={set('status')} all="All statuses" options={ENROLLMENT_STATUSES} />
        <FilterSelect
          id="enr-course"
          label="Course"
          value={filter.course_id}
          onChange={set('course_id')}
          all="All courses"
          options={courses.map((c) => [c.id, c.is_active ? c.title : `${c.title} (inactive)`])}
        />
        <div>
          <label for="enr-student">Student id</label>
          <input id="enr-student" type="number" min="1" inputMode="numeric" value={filter.student_id} onChange={set('student_id')} />
        </div>
      </div>
      <Alert>{error}</Alert>
      {!result && !error && <p class="muted">Loading enrollments…</p>}
      {result && (
        <>
          <div class="table-wrap">
            <table aria-label="Enrollments">
              <thead>
                <tr>
                  <th scope="col">Student</th>
                  <th scope="col">Course</th>
                  <th scope="col">Status</th>
                  <th scope="col">Enrolled</th>
                </tr>
              </thead>
              <tbody>
                {result.data.length === 0 && (
                  <tr>
                    <td colSpan={4} class="muted">
                      No enrollments match.
                    </td>
                  </tr>
                )}
                {result.data.map((e) => (
                  <tr key={e.id} data-enrollment-id={e.id} data-booking-id={e.booking_id ?? ''}>
                    <td>
                      {e.student?.name ?? '—'}
                      <div class="small muted">{e.student?.email}</div>
                    </td>
                    <td>{e.course?.title}</td>
                    <td>{e.status}</td>
                    <td>{formatDate(e.enrolled_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav class="pager" aria-label="Pages">
            <button type="button" class="secondary" disabled={!pages.prev} onClick={() => setPage(page - 1)}>
              Previous page
            </button>
            <span aria-live="polite">
              {pages.label} ({result.pagination.total} enrollment{result.pagination.total === 1 ? '' : 's'})
            </span>
            <button type="button" class="secondary" disabled={!pages.next} onClick={() => setPage(page + 1)}>
              Next page
            </button>
          </nav>
        </>
      )}
    </Section>
  );
}
