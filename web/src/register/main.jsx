// /register: the public course-registration form. The fields are checked here by the same
// rules as the server's (validation.js); on submit the page solves a fresh proof-of-work
// captcha in a Web Worker and posts the form with the one idempotency key this form was
// given, so a double click or a retry after a lost answer never makes a second booking.
// Indonesian first, with an English switch that the browser remembers.
import { render } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { ApiFailure, api, uuid4 } from '../common/api.js';
import common from '../common/common.messages.js';
import { EXPERIENCE_LEVELS, REFERRAL_SOURCES, WEEKDAYS } from '../common/enums.js';
import { I18nProvider, LangSwitch, useI18n } from '../common/i18n.jsx';
import messages from './register.messages.js';
import {
  FIELD_ORDER,
  captchaToken,
  courseLabel,
  duplicateOf,
  emptyForm,
  messageForError,
  messageText,
  serverFieldErrors,
  toRequestBody,
  todayUtc,
  validateRegistration,
} from './validation.js';
import problems from './validation.messages.js';

/* global POW_WORKER_URL */

/// The words of a problem of validation.js (or of the server's) in the page's language.
function useProblemText() {
  const { t } = useI18n(problems);
  return (p) => messageText(p, t);
}

/// The control that takes the focus for a field's error.
function controlId(field, values) {
  if (field === 'preferred_days') return 'f-day-monday';
  if (field === 'preferred_time_range') return values.time_start ? 'f-time_end' : 'f-time_start';
  if (field === 'instrument_owned') return 'f-instrument-yes';
  return `f-${field}`;
}

const firstInvalid = (errors) => FIELD_ORDER.find((f) => errors[f]);

/// Solves a fresh challenge of the server in the worker, reporting progress 0..1; resolves
/// to the captcha token. Each token is accepted once, so every attempt needs its own.
async function solveCaptcha(onProgress) {
  const { data: challenge } = await api('/api/booking/captcha');
  const number = await new Promise((resolve, reject) => {
    const worker = new Worker(POW_WORKER_URL);
    const done = (fn, value) => {
      worker.terminate();
      fn(value);
    };
    worker.onmessage = ({ data }) => {
      if (typeof data.progress === 'number') onProgress(data.progress);
      else if (typeof data.number === 'number') done(resolve, data.number);
      else done(reject, new Error(data.error ?? 'the robot check failed'));
    };
    worker.onerror = (e) => {
      e.preventDefault?.();
      done(reject, new Error('the robot check could not run'));
    };
    worker.postMessage(challenge);
  });
  return captchaToken(challenge, number);
}

/// The ids of the texts that describe a control: its hint and, when there is one, its error.
const describedBy = (...ids) => ids.filter(Boolean).join(' ') || undefined;

function FieldError({ field, errors }) {
  const say = useProblemText();
  if (!errors[field]) return null;
  return (
    <p class="field-error" id={`e-${field}`}>
      {say(errors[field])}
    </p>
  );
}

/// A labelled input (or select/textarea, via `as`) bound to `form.values[field]`.
function Field({ form, field, label, hint, as: Control = 'input', wide, children, ...props }) {
  const id = `f-${field}`;
  const error = form.errors[field];
  return (
    <div class={wide ? 'wide' : undefined}>
      <label for={id}>{label}</label>
      <Control
        type={Control === 'input' ? 'text' : undefined}
        id={id}
        name={field}
        value={form.values[field]}
        onInput={(e) => form.set(field, e.currentTarget.value)}
        aria-invalid={error ? 'true' : 'false'}
        aria-describedby={describedBy(hint && `h-${field}`, error && `e-${field}`)}
        {...props}
      >
        {children}
      </Control>
      {hint && (
        <p class="hint" id={`h-${field}`}>
          {hint}
        </p>
      )}
      <FieldError field={field} errors={form.errors} />
    </div>
  );
}

function CourseField({ form, courses }) {
  const { t } = useI18n(messages);
  const { t: v } = useI18n(problems);
  const { t: w } = useI18n(common);
  const say = useProblemText();
  const { list, error, reload } = courses;
  const selected = list?.find((c) => c.id === form.values.course_id);
  let hint;
  // The option's text may be cut off on a narrow screen; the hint repeats it in full.
  if (selected)
    hint = [courseLabel(selected, v, w), t('minutes', { count: selected.duration_minutes }), selected.description].filter(Boolean).join(' · ');
  return (
    <>
      <Field form={form} field="course_id" label={t('course')} as="select" wide required hint={hint} disabled={!list?.length}>
        {!list && <option value="">{t('coursesLoading')}</option>}
        {list && !list.length && <option value="">{t('coursesNone')}</option>}
        {list?.length > 0 && <option value="">{t('courseChoose')}</option>}
        {list?.map((c) => (
          <option key={c.id} value={c.id}>
            {courseLabel(c, v, w)}
          </option>
        ))}
      </Field>
      {error && (
        <Alert as="div" class="wide">
          <p>
            {t('coursesFailed')} {say(error)}
          </p>
          <button type="button" class="secondary" onClick={reload}>
            {t('coursesReload')}
          </button>
        </Alert>
      )}
    </>
  );
}

function PreferredDays({ form }) {
  const { t } = useI18n(messages);
  const { t: w } = useI18n(common);
  const error = form.errors.preferred_days;
  const toggle = (day, on) => {
    const days = form.values.preferred_days.filter((d) => d !== day);
    form.set('preferred_days', on ? [...days, day] : days);
  };
  return (
    <fieldset class="wide" aria-describedby={error ? 'e-preferred_days' : undefined}>
      <legend>{t('days')}</legend>
      {WEEKDAYS.map((day) => (
        <label class="inline" key={day}>
          <input
            type="checkbox"
            id={`f-day-${day}`}
            name="preferred_days"
            value={day}
            checked={form.values.preferred_days.includes(day)}
            onChange={(e) => toggle(day, e.currentTarget.checked)}
            aria-invalid={error ? 'true' : 'false'}
          />
          {w(`weekday.${day}`)}
        </label>
      ))}
      <FieldError field="preferred_days" errors={form.errors} />
    </fieldset>
  );
}

function PreferredTime({ form }) {
  const { t } = useI18n(messages);
  const error = form.errors.preferred_time_range;
  const input = (key, label) => (
    <div>
      <label for={`f-${key}`}>{label}</label>
      <input
        type="time"
        id={`f-${key}`}
        name={key}
        required
        value={form.values[key]}
        onInput={(e) => form.set(key, e.currentTarget.value)}
        aria-invalid={error ? 'true' : 'false'}
        aria-describedby={error ? 'e-preferred_time_range' : undefined}
      />
    </div>
  );
  return (
    <fieldset>
      <legend>{t('time')}</legend>
      <div class="form-grid">
        {input('time_start', t('from'))}
        {input('time_end', t('until'))}
      </div>
      <FieldError field="preferred_time_range" errors={form.errors} />
    </fieldset>
  );
}

function InstrumentOwned({ form }) {
  const { t } = useI18n(messages);
  const error = form.errors.instrument_owned;
  const choice = (value, label) => (
    <label class="inline">
      <input
        type="radio"
        id={`f-instrument-${value || 'unsure'}`}
        name="instrument_owned"
        value={value}
        checked={form.values.instrument_owned === value}
        onChange={() => form.set('instrument_owned', value)}
        aria-invalid={error ? 'true' : 'false'}
      />
      {label}
    </label>
  );
  return (
    <fieldset aria-describedby={error ? 'e-instrument_owned' : undefined}>
      <legend>{t('instrument')}</legend>
      {choice('yes', t('yes'))}
      {choice('no', t('no'))}
      {/* A radio cannot be unchecked, so leaving the question open is a choice of its own. */}
      {choice('', t('unsure'))}
      <FieldError field="instrument_owned" errors={form.errors} />
    </fieldset>
  );
}

function Consent({ form }) {
  const { t } = useI18n(messages);
  const error = form.errors.consent;
  return (
    <div class="wide">
      <label class="inline">
        <input
          type="checkbox"
          id="f-consent"
          name="consent"
          required
          checked={form.values.consent}
          onChange={(e) => form.set('consent', e.currentTarget.checked)}
          aria-invalid={error ? 'true' : 'false'}
          aria-describedby={error ? 'e-consent' : undefined}
        />
        {t('consent')}
      </label>
      <FieldError field="consent" errors={form.errors} />
    </div>
  );
}

/// The list of what is wrong, each entry a link to its field.
function ErrorSummary({ errors, values, onJump }) {
  const { t } = useI18n(messages);
  const { t: v } = useI18n(problems);
  const say = useProblemText();
  const fields = FIELD_ORDER.filter((f) => errors[f]);
  if (!fields.length) return null;
  return (
    <Alert as="div" aria-labelledby="summary-title">
      <h2 id="summary-title">{t('summary', { count: fields.length })}</h2>
      <ul>
        {fields.map((f) => (
          <li key={f}>
            <a
              href={`#${controlId(f, values)}`}
              onClick={(e) => {
                e.preventDefault();
                onJump(controlId(f, values));
              }}
            >
              {v(`field.${f}`)}: {say(errors[f])}
            </a>
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/// What the page shows while a submission is in flight: the captcha's progress, then sending.
function SubmitStatus({ phase, progress }) {
  const { t } = useI18n(messages);
  const pct = Math.floor(progress * 100);
  let text = '';
  if (phase === 'solving') text = t('solving', { pct });
  else if (phase === 'sending') text = t('sending');
  return (
    <div class="wide">
      {phase !== 'idle' && (
        <>
          <label for="pow-progress">{t('robotCheck')}</label>
          <progress id="pow-progress" max="100" value={phase === 'sending' ? 100 : pct}>
            {pct} %
          </progress>
        </>
      )}
      {/* Always in the page, so that screen readers announce its changes. */}
      <p class="hint" id="submit-status" role="status" aria-live="polite">
        {text}
      </p>
    </div>
  );
}

/// The values with the course cleared when the list no longer offers it (it was closed, or
/// the link's ?course= named none). Derived in the same render as the list, so that the
/// select never points at an option that is gone.
function withListedCourse(values, list) {
  if (!list || !values.course_id || list.some((c) => c.id === values.course_id)) return values;
  return { ...values, course_id: '' };
}

/// One registration form; a new one (with a new idempotency key) is mounted for each person.
function RegistrationForm({ courses, onRegistered, initialCourse, autoFocus }) {
  const { t } = useI18n(messages);
  const { t: w } = useI18n(common);
  const [idempotencyKey] = useState(uuid4);
  const [entered, setValues] = useState(() => emptyForm(initialCourse));
  const values = withListedCourse(entered, courses.list);
  const [errors, setErrors] = useState({});
  const [notice, setNotice] = useState(null);
  const [listed, setListed] = useState(false); // whether the summary lists the field errors
  const [phase, setPhase] = useState('idle'); // idle | solving | sending
  const [progress, setProgress] = useState(0);
  const inFlight = useRef(false); // set at once, unlike state, so a second click sees it
  const [focusTarget, setFocusTarget] = useState(null);
  const noticeRef = useRef(null);

  // The focus moves after the render, so the field's error text is there when it is read,
  // and before the page is painted, so typing meanwhile goes where the reader sees.
  useLayoutEffect(() => {
    if (!focusTarget) return;
    if (focusTarget.id === 'notice') noticeRef.current?.focus();
    else document.getElementById(focusTarget.id)?.focus();
  }, [focusTarget]);
  const focus = (id) => setFocusTarget({ id });
  useEffect(() => {
    if (autoFocus) focus('f-course_id');
  }, []);

  const set = (field, value) => {
    const next = { ...values, [field]: value };
    setValues(next);
    const errorField = field === 'time_start' || field === 'time_end' ? 'preferred_time_range' : field;
    if (errors[errorField]) {
      // A marked field is checked again as it is corrected; others wait for the next submit.
      const now = validateRegistration(next, todayUtc());
      setErrors((e) => ({ ...e, [errorField]: now[errorField] }));
    }
  };
  const form = { values, errors, set };

  const fail = (err) => {
    const status = err instanceof ApiFailure ? err.status : -1;
    const body = err instanceof ApiFailure ? err.body : null;
    const fieldErrors = serverFieldErrors(body);
    if (err instanceof ApiFailure && body?.error?.code === 'COURSE_NOT_FOUND') {
      fieldErrors.course_id = messageForError(status, body);
      courses.reload();
    }
    // Anything but a server's answer comes from the worker (it failed to load or to solve).
    const message = status === -1 ? { key: 'error.robotCheck' } : messageForError(status, body);
    setErrors(fieldErrors);
    setListed(body?.error?.code === 'VALIDATION_ERROR');
    setNotice(message);
    focus('notice');
  };

  const submit = async (e) => {
    e.preventDefault();
    if (inFlight.current) return;
    const found = validateRegistration(values, todayUtc());
    setErrors(found);
    setListed(true);
    setNotice(null);
    const first = firstInvalid(found);
    if (first) {
      focus(controlId(first, values));
      return;
    }
    inFlight.current = true;
    setProgress(0);
    setPhase('solving');
    try {
      const token = await solveCaptcha(setProgress);
      setPhase('sending');
      const res = await api('/api/booking/register-course', {
        method: 'POST',
        body: toRequestBody(values, idempotencyKey, token),
      });
      onRegistered({ booking: res.data.booking, values });
    } catch (err) {
      const firstId = err instanceof ApiFailure ? duplicateOf(err.status, err.body) : null;
      if (firstId !== null) onRegistered({ booking: { id: firstId, status: 'pending' }, values, earlier: true });
      else fail(err);
    } finally {
      inFlight.current = false;
      setPhase('idle');
    }
  };

  const say = useProblemText();
  const busy = phase !== 'idle';
  return (
    <form class="card register" noValidate onSubmit={submit} aria-labelledby="page-title">
      <Alert tabIndex={-1} ref={noticeRef}>
        {notice && say(notice)}
      </Alert>
      {listed && <ErrorSummary errors={errors} values={values} onJump={focus} />}

      <div class="form-grid">
        <h2 class="wide">{t('section.course')}</h2>
        <CourseField form={form} courses={courses} />

        <h2 class="wide">{t('section.student')}</h2>
        <Field form={form} field="full_name" label={t('fullName')} required autocomplete="name" />
        <Field form={form} field="email" label={t('email')} type="email" required autocomplete="email" hint={t('emailHint')} />
        <Field form={form} field="wa_number" label={t('waNumber')} type="tel" autocomplete="tel" inputmode="tel" hint={t('waHint')} />
        <Field form={form} field="address" label={t('address')} required autocomplete="street-address" wide />
        <Field form={form} field="birth_place" label={t('birthPlace')} required />
        <Field form={form} field="birth_date" label={t('birthDate')} type="date" required max={todayUtc()} />
        <Field form={form} field="school" label={t('school')} required />
        <Field form={form} field="class" label={t('class')} as="select" required>
          <option value="">{t('classChoose')}</option>
          {Array.from({ length: 12 }, (_, i) => (
            <option key={i} value={String(i + 1)}>
              {t('classN', { n: i + 1 })}
            </option>
          ))}
        </Field>
        <Field form={form} field="experience_level" label={t('experience')} as="select" wide>
          {EXPERIENCE_LEVELS.map((l) => (
            <option key={l} value={l}>
              {w(`courseLevel.${l}`)}
            </option>
          ))}
        </Field>

        <h2 class="wide">{t('section.guardian')}</h2>
        <Field form={form} field="guardian_name" label={t('guardianName')} required />
        <Field form={form} field="guardian_wa_number" label={t('guardianWa')} type="tel" required inputmode="tel" hint={t('waHint')} />

        <h2 class="wide">{t('section.lessons')}</h2>
        <PreferredDays form={form} />
        <PreferredTime form={form} />
        <Field form={form} field="start_date_target" label={t('startDate')} type="date" min={todayUtc()} />
        <InstrumentOwned form={form} />

        <h2 class="wide">{t('section.other')}</h2>
        <Field form={form} field="referral_source" label={t('referral')} as="select">
          <option value="">{t('referralChoose')}</option>
          {REFERRAL_SOURCES.map((r) => (
            <option key={r} value={r}>
              {w(`referral.${r}`)}
            </option>
          ))}
        </Field>
        <Field form={form} field="notes" label={t('notes')} as="textarea" wide hint={t('notesHint', { max: 1000 })} />
        <Consent form={form} />

        <SubmitStatus phase={phase} progress={progress} />
        <p class="wide">
          <button type="submit" disabled={busy}>
            {busy ? t('submitting') : t('submit')}
          </button>
        </p>
      </div>
    </form>
  );
}

function Confirmation({ result, courses, onAnother }) {
  const { t, fmt } = useI18n(messages);
  const { booking, values, earlier } = result;
  const heading = useRef(null);
  useLayoutEffect(() => heading.current?.focus(), []);
  const title = courses.list?.find((c) => c.id === (booking.course_id ?? values.course_id))?.title ?? result.courseTitle;
  const course = title ? <strong>{title}</strong> : t('done.theCourse');
  const name = values.full_name.trim();
  const waitlisted = booking.status === 'waitlisted';
  return (
    <section class="card confirmation" aria-labelledby="done-title">
      <p class="big" aria-hidden="true">
        ✓
      </p>
      <h2 id="done-title" tabIndex={-1} ref={heading}>
        {t('done.title')}
      </h2>
      <p>
        {t(earlier ? 'done.earlier' : 'done.thanks', { name })} {t(waitlisted ? 'done.waitlisted' : 'done.pending', { course })}
      </p>
      {booking.id && <p>{t('done.number', { id: <strong data-testid="booking-id">{booking.id}</strong> })}</p>}
      <p>
        {!waitlisted && (booking.expires_at ? t('done.expires', { expires: fmt.long(booking.expires_at) }) : t('done.noExpiry'))}{' '}
        {t('done.contact', { email: values.email.trim() })}
      </p>
      <p>
        <button type="button" onClick={onAnother}>
          {t('done.another')}
        </button>
      </p>
    </section>
  );
}

function useCourses() {
  const [list, setList] = useState(null);
  const [error, setError] = useState(null); // a problem of validation.js
  const load = async () => {
    setError(null);
    try {
      const res = await api('/api/courses');
      setList((res.data ?? []).filter((c) => c.is_active !== false));
    } catch (err) {
      setList((l) => l ?? []);
      setError(messageForError(err.status ?? 0, err.body));
    }
  };
  useEffect(() => {
    load();
  }, []);
  return { list, error, reload: load };
}

function App() {
  const { t, lang } = useI18n(messages);
  const courses = useCourses();
  const [formNo, setFormNo] = useState(0);
  const [result, setResult] = useState(null);
  const initialCourse = useRef(new URLSearchParams(location.search).get('course') ?? '');

  // The page keeps its own title (the provider is given none): it changes with the result
  // and the language, before the page is painted (as the provider's `lang`), so no reader
  // sees the new texts under the old title.
  useLayoutEffect(() => {
    document.title = t(result ? 'titleDone' : 'title');
  }, [result, lang]);

  const another = () => {
    setResult(null);
    setFormNo((n) => n + 1); // a new form: empty, with a new idempotency key
    courses.reload();
  };
  const registered = (r) => {
    const title = courses.list?.find((c) => c.id === r.values.course_id)?.title;
    setResult({ ...r, courseTitle: title });
    window.scrollTo(0, 0);
  };

  return (
    <main>
      <div class="row" style={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <h1 id="page-title">{t('heading')}</h1>
        <LangSwitch />
      </div>
      {result ? (
        <Confirmation result={result} courses={courses} onAnother={another} />
      ) : (
        <>
          <p class="muted">{t('required')}</p>
          <RegistrationForm key={formNo} courses={courses} onRegistered={registered} initialCourse={formNo ? '' : initialCourse.current} autoFocus={formNo > 0} />
        </>
      )}
    </main>
  );
}

render(
  <I18nProvider catalogue={messages}>
    <App />
  </I18nProvider>,
  document.getElementById('app'),
);
