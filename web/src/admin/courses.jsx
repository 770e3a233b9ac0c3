// The courses: every course of GET /api/courses?include_inactive=true as a card with its
// level, price, length, seats used of its maximum and its waiting list; a form to create
// one and to change one (its seats too), a button to open or close it for registration
// (PUT is_active) and a delete that asks first (the server deactivates a course that has
// bookings instead). The list is loaded again whenever /api/booking/stream reports a
// change, so the seats follow confirmations and cancellations.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { api } from '../common/api.js';
import common from '../common/common.messages.js';
import { COURSE_LEVELS } from '../common/enums.js';
import { useI18n } from '../common/i18n.jsx';
import { useApi } from '../common/use-api.js';
import { ConfirmDelete, Field, focusFirstError, useAction, useEditMode } from './forms.jsx';
import { courseForm, courseFormValues, seats } from './catalogue-rules.js';
import messages from './courses.messages.js';
import { Listing } from './listing.jsx';
import { Section } from './section.jsx';
import { useDebounced, useEventStream } from './stream.jsx';

const FIELD_ORDER = ['title', 'instrument', 'level', 'price', 'duration', 'max_students', 'description'];

/// The fields of a course, to create one (`course` absent) or change one.
function CourseForm({ course, busy, onSubmit, onCancel }) {
  const { t } = useI18n(messages);
  const { t: w } = useI18n(common);
  const prefix = course ? `course-${course.id}` : 'course-new';
  const [values, setValues] = useState(() => {
    const v = courseFormValues(course);
    if (course) delete v.is_active; // opened and closed with its own button
    return v;
  });
  const [errors, setErrors] = useState({});
  const first = useRef(null);
  // As the form is put in, not after the next frame: typing meanwhile stays where it went.
  useLayoutEffect(() => first.current?.focus(), []);
  const set = (key) => (e) => setValues({ ...values, [key]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value });
  const err = (key) => errors[key] && t(`error.${errors[key].key}`, errors[key]);
  const id = (f) => `${prefix}-${f}`;
  const submit = (e) => {
    e.preventDefault();
    const checked = courseForm(values, course ? seats(course).taken : 0);
    setErrors(checked.errors);
    if (!checked.body) return focusFirstError(checked.errors, FIELD_ORDER, id);
    onSubmit(checked.body);
  };
  return (
    <form class="course-form" onSubmit={submit} aria-label={course ? t('editing', { title: course.title }) : t('newCourse')} noValidate>
      <div class="form-grid">
        <Field id={id('title')} label={t('courseTitle')} error={err('title')} inputRef={first} type="text" maxLength={255} value={values.title} onInput={set('title')} />
        <Field id={id('instrument')} label={t('instrument')} error={err('instrument')} type="text" maxLength={100} value={values.instrument} onInput={set('instrument')} />
        <Field id={id('level')} label={t('level')} as="select" value={values.level} onChange={set('level')}>
          {COURSE_LEVELS.map((l) => (
            <option value={l}>{w(`courseLevel.${l}`)}</option>
          ))}
        </Field>
        <Field
          id={id('price')}
          label={t('price')}
          hint={t('priceHint')}
          error={err('price')}
          type="text"
          inputMode="decimal"
          autocomplete="off"
          value={values.price}
          onInput={set('price')}
        />
        <Field id={id('duration')} label={t('duration')} error={err('duration')} type="text" inputMode="numeric" autocomplete="off" value={values.duration} onInput={set('duration')} />
        <Field
          id={id('max_students')}
          label={t('maxStudents')}
          hint={t('maxStudentsHint')}
          error={err('max_students')}
          type="text"
          inputMode="numeric"
          autocomplete="off"
          value={values.max_students}
          onInput={set('max_students')}
        />
        <Field id={id('description')} class="wide" label={t('description')} error={err('description')} as="textarea" rows={3} value={values.description} onInput={set('description')} />
      </div>
      {!course && (
        <label class="inline">
          <input type="checkbox" checked={values.is_active} onChange={set('is_active')} /> {t('openNow')}
        </label>
      )}
      <div class="row actions">
        <button type="submit" disabled={busy}>
          {busy ? t('saving') : course ? w('save') : t('create')}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={onCancel}>
          {w('cancel')}
        </button>
      </div>
    </form>
  );
}

/// One course; `mode` is what is open: null, 'edit' or 'delete'.
function CourseCard({ course: c, token, onExpired, onChanged }) {
  const { t, fmt } = useI18n(messages);
  const { t: w } = useI18n(common);
  const { mode, setMode, action, open, back } = useEditMode(onExpired);
  const s = seats(c);
  const explain = (err) => {
    if (err.status !== 404) return undefined;
    onChanged(null);
    return t('gone');
  };
  const run = async (request, notice, focus = null) => {
    let answer;
    const ok = await action.run(async () => {
      answer = await request();
    }, explain);
    if (ok) {
      if (focus) back.current = focus;
      setMode(null);
      onChanged(typeof notice === 'function' ? notice(answer) : notice);
    }
  };
  const put = (body, notice, focus) => run(() => api(`/api/courses/${c.id}`, { method: 'PUT', token, body }), notice, focus);

  const headingId = `course-${c.id}-heading`;
  return (
    <li class={`card course${c.is_active ? '' : ' inactive'}${mode === 'edit' ? ' editing' : ''}`} data-course-id={c.id} data-active={String(c.is_active)} aria-labelledby={headingId}>
      <div class="top">
        <h3 id={headingId} tabIndex={-1}>
          {c.title}
        </h3>
        <span class="badge level">{w(`courseLevel.${c.level}`)}</span>
      </div>
      {mode === 'edit' ? (
        <CourseForm
          course={c}
          busy={action.busy}
          onCancel={() => setMode(null)}
          onSubmit={(body) => put(body, t('updated', { title: body.title }))}
        />
      ) : (
        <>
          {c.description && <p class="small muted description">{c.description}</p>}
          <dl class="details">
            <dt>{t('label.instrument')}</dt>
            <dd>{c.instrument}</dd>
            <dt>{t('label.price')}</dt>
            <dd>{t('perSession', { price: fmt.money(c.price_per_session) })}</dd>
            <dt>{t('label.duration')}</dt>
            <dd>{t('minutes', { count: c.duration_minutes })}</dd>
            <dt>{t('label.seats')}</dt>
            <dd data-testid="seats">
              {t('seats', { taken: s.taken, max: s.max })} {s.full && <span class="badge high">{t('full')}</span>}
            </dd>
            <dt>{t('label.waitlist')}</dt>
            <dd data-testid="waitlisted">{t('waitlisted', { count: s.waitlisted })}</dd>
            <dt>{t('label.status')}</dt>
            <dd data-testid="active">
              <span class={`badge ${c.is_active ? 'level' : 'low'}`}>{c.is_active ? t('active') : t('inactive')}</span>{' '}
              <span class="small muted">{c.is_active ? t('activeHint') : t('inactiveHint')}</span>
            </dd>
          </dl>
        </>
      )}
      {mode === 'delete' && (
        <ConfirmDelete
          id={`course-${c.id}-confirm`}
          text={t('confirmDelete', { title: c.title })}
          yes={t('yesDelete')}
          busy={action.busy}
          onNo={() => setMode(null)}
          onYes={() =>
            run(
              () => api(`/api/courses/${c.id}`, { method: 'DELETE', token }),
              (answer) => t(answer?.data?.deleted === false ? 'keptInactive' : 'deleted', { title: c.title }),
              'courses-list',
            )
          }
        />
      )}
      <Alert>{action.error}</Alert>
      {mode === null && (
        <div class="row actions">
          <button type="button" class="secondary" id={`course-${c.id}-edit`} aria-label={t('editOf', { title: c.title })} onClick={() => open('edit', `course-${c.id}-edit`)}>
            {w('edit')}
          </button>
          <button
            type="button"
            class="secondary"
            id={`course-${c.id}-active`}
            aria-label={t(c.is_active ? 'deactivateOf' : 'activateOf', { title: c.title })}
            onClick={() => !action.busy && put({ is_active: !c.is_active }, t(c.is_active ? 'deactivated' : 'activated', { title: c.title }))}
          >
            {c.is_active ? t('deactivate') : t('activate')}
          </button>
          <button type="button" class="secondary" id={`course-${c.id}-delete`} aria-label={t('deleteOf', { title: c.title })} onClick={() => open('delete', `course-${c.id}-delete`)}>
            {w('delete')}
          </button>
        </div>
      )}
    </li>
  );
}

export function Courses({ token, onExpired }) {
  const { t } = useI18n(messages);
  const { data, error, reload } = useApi('/api/courses?include_inactive=true', { token, onExpired });
  const courses = data?.data ?? null;
  const [notice, setNotice] = useState(null);
  const [creating, setCreating] = useState(false);
  const create = useAction(onExpired);
  const newButton = useRef(null);
  const live = useEventStream('/api/booking/stream', token, useDebounced(reload), onExpired);

  const changed = (text) => {
    setNotice(text);
    reload();
  };
  const closeForm = () => {
    setCreating(false);
    create.setError(null);
    setTimeout(() => newButton.current?.focus());
  };
  const add = async (body) => {
    const ok = await create.run(() => api('/api/courses', { method: 'POST', token, body }));
    if (ok) {
      closeForm();
      changed(t('created', { title: body.title }));
    }
  };

  return (
    <Section id="courses" title={t('title')} live={live}>
      <p class="muted">{t('intro')}</p>
      {creating ? (
        <div class="card">
          <h3>{t('newCourse')}</h3>
          <CourseForm busy={create.busy} onSubmit={add} onCancel={closeForm} />
          <Alert>{create.error}</Alert>
        </div>
      ) : (
        <p>
          <button type="button" ref={newButton} onClick={() => setCreating(true)}>
            {t('newCourse')}
          </button>
        </p>
      )}
      <Listing items={courses} error={error} notice={notice} loading={t('loading')} none={t('none')}>
        {() => (
          <ul class="board courses" id="courses-list" tabIndex={-1} aria-label={t('list')}>
            {courses.map((c) => (
              <CourseCard key={c.id} course={c} token={token} onExpired={onExpired} onChanged={changed} />
            ))}
          </ul>
        )}
      </Listing>
    </Section>
  );
}
