// Enrollments with their filters (status, course, student) and pages, as
// GET /api/booking/enrollments serves them.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { pageInfo } from './rules.js';

const STATUSES = ['pending', 'active', 'completed', 'cancelled'];
const LIMIT = 20;

export function Enrollments({ token, onExpired }) {
  const [filter, setFilter] = useState({ status: '', course_id: '', student_id: '' });
  const [page, setPage] = useState(1);
  const [result, setResult] = useState(null);
  const [courses, setCourses] = useState([]);
  const [error, setError] = useState(null);

  useEffect(() => {
    api('/api/courses?include_inactive=true', { token })
      .then((r) => setCourses(r.data))
      .catch(() => setCourses([]));
  }, [token]);

  useEffect(() => {
    let current = true;
    const query = new URLSearchParams({ page: String(page), limit: String(LIMIT) });
    for (const [k, v] of Object.entries(filter)) if (v) query.set(k, v);
    api(`/api/booking/enrollments?${query}`, { token })
      .then((r) => {
        if (!current) return;
        setResult(r);
        setError(null);
      })
      .catch((err) => (err.status === 401 ? onExpired() : current && setError(err.message)));
    return () => {
      current = false;
    };
  }, [filter, page, token]);

  const set = (key) => (e) => {
    setFilter({ ...filter, [key]: e.currentTarget.value.trim() });
    setPage(1);
  };
  const pages = result ? pageInfo(result.pagination) : null;

  return (
    <section aria-labelledby="enrollments-title">
      <h2 id="enrollments-title">Enrollments</h2>
      <div class="card row" role="group" aria-label="Filters">
        <div>
          <label for="enr-status">Status</label>
          <select id="enr-status" value={filter.status} onChange={set('status')}>
            <option value="">All statuses</option>
            {STATUSES.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </div>
        <div>
          <label for="enr-course">Course</label>
          <select id="enr-course" value={filter.course_id} onChange={set('course_id')}>
            <option value="">All courses</option>
            {courses.map((c) => (
              <option value={c.id}>
                {c.title}
                {c.is_active ? '' : ' (inactive)'}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="enr-student">Student id</label>
          <input id="enr-student" type="number" min="1" inputMode="numeric" value={filter.student_id} onChange={set('student_id')} />
        </div>
      </div>
      {error && (
        <p class="alert error" role="alert">
          {error}
        </p>
      )}
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
                    <td>{new Date(e.enrolled_at).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })}</td>
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
    </section>
  );
}
