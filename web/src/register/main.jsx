// /register: the public course-registration form. The fields are checked here by the same
// rules as the server's (validation.js); on submit the page solves a fresh proof-of-work
// captcha in a Web Worker and posts the form with the one idempotency key this form was
// given, so a double click or a retry after a lost answer never makes a second booking.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { ApiFailure, api, uuid4 } from '../common/api.js';
import { COURSE_LEVEL_LABELS, EXPERIENCE_LEVELS, REFERRAL_LABELS, REFERRAL_SOURCES, WEEKDAYS, WEEKDAY_LABELS } from '../common/enums.js';
import { formatLongDateTime } from '../common/format.js';
import {
  FIELD_LABELS,
  FIELD_ORDER,
  captchaToken,
  courseLabel,
  duplicateOf,
  emptyForm,
  messageForError,
  serverFieldErrors,
  toRequestBody,
  todayUtc,
  validateRegistration,
} from './validation.js';

/* global POW_WORKER_URL */

const PAGE_TITLE = 'Course registration';

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
  if (!errors[field]) return null;
  return (
    <p class="field-error" id={`e-${field}`}>
      {errors[field]}
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
  const { list, error, reload } = courses;
  const selected = list?.find((c) => c.id === form.values.course_id);
  let hint;
  // The option's text may be cut off on a narrow screen; the hint repeats it in full.
  if (selected) hint = [courseLabel(selected), `${selected.duration_minutes} minutes`, selected.description].filter(Boolean).join(' · ');
  return (
    <>
      <Field form={form} field="course_id" label="Course" as="select" wide required hint={hint} disabled={!list?.length}>
        {!list && <option value="">Loading courses…</option>}
        {list && !list.length && <option value="">No courses open at the moment</option>}
        {list?.length > 0 && <option value="">Choose a course</option>}
        {list?.map((c) => (
          <option key={c.id} value={c.id}>
            {courseLabel(c)}
          </option>
        ))}
      </Field>
      {error && (
        <Alert as="div" class="wide">
          <p>{error}</p>
          <button type="button" class="secondary" onClick={reload}>
            Load the courses again
          </button>
        </Alert>
      )}
    </>
  );
}

function PreferredDays({ form }) {
  const error = form.errors.preferred_days;
  const toggle = (day, on) => {
    const days = form.values.preferred_days.filter((d) => d !== day);
    form.set('preferred_days', on ? [...days, day] : days);
  };
  return (
    <fieldset class="wide" aria-describedby={error ? 'e-preferred_days' : undefined}>
      <legend>Preferred days</legend>
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
          {WEEKDAY_LABELS[day]}
        </label>
      ))}
      <FieldError field="preferred_days" errors={form.errors} />
    </fieldset>
  );
}

function PreferredTime({ form }) {
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
      <legend>Preferred time of day</legend>
      <div class="form-grid">
        {input('time_start', 'From')}
        {input('time_end', 'Until')}
      </div>
      <FieldError field="preferred_time_range" errors={form.errors} />
    </fieldset>
  );
}

function InstrumentOwned({ form }) {
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
      <legend>Does the student have their own instrument? (optional)</legend>
      {choice('yes', 'Yes')}
      {choice('no', 'No')}
      {/* A radio cannot be unchecked, so leaving the question open is a choice of its own. */}
      {choice('', 'Not sure')}
      <FieldError field="instrument_owned" errors={form.errors} />
    </fieldset>
  );
}

function Consent({ form }) {
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
        I agree that the school stores these details to handle this registration.
      </label>
      <FieldError field="consent" errors={form.errors} />
    </div>
  );
}

/// The list of what is wrong, each entry a link to its field.
function ErrorSummary({ errors, values, onJump }) {
  const fields = FIELD_ORDER.filter((f) => errors[f]);
  if (!fields.length) return null;
  return (
    <Alert as="div" aria-labelledby="summary-title">
      <h2 id="summary-title">
        {fields.length === 1 ? 'Please correct 1 field' : `Please correct ${fields.length} fields`}
      </h2>
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
              {FIELD_LABELS[f]}: {errors[f]}
            </a>
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/// What the page shows while a submission is in flight: the captcha's progress, then sending.
function SubmitStatus({ phase, progress }) {
  const pct = Math.floor(progress * 100);
  let text = '';
  if (phase === 'solving') text = `Checking you are not a robot… ${pct} %`;
  else if (phase === 'sending') text = 'Sending your registration…';
  return (
    <div class="wide">
      {phase !== 'idle' && (
        <>
          <label for="pow-progress">Robot check</label>
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

  // The focus moves after the render, so the field's error text is there when it is read.
  useEffect(() => {
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
    const message =
      status === -1
        ? 'The check that you are not a robot could not be completed in this browser. Please reload the page and try again.'
        : messageForError(status, body);
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

  const busy = phase !== 'idle';
  return (
    <form class="card register" noValidate onSubmit={submit} aria-labelledby="page-title">
      <Alert tabIndex={-1} ref={noticeRef}>
        {notice}
      </Alert>
      {listed && <ErrorSummary errors={errors} values={values} onJump={focus} />}

      <div class="form-grid">
        <h2 class="wide">The course</h2>
        <CourseField form={form} courses={courses} />

        <h2 class="wide">Student</h2>
        <Field form={form} field="full_name" label="Student's full name" required autocomplete="name" />
        <Field form={form} field="email" label="Email" type="email" required autocomplete="email" hint="We send news about the registration here." />
        <Field
          form={form}
          field="wa_number"
          label="Student's WhatsApp number (optional)"
          type="tel"
          autocomplete="tel"
          inputmode="tel"
          hint="+62 followed by 9 to 12 digits, like +6281234567890"
        />
        <Field form={form} field="address" label="Address" required autocomplete="street-address" wide />
        <Field form={form} field="birth_place" label="Place of birth" required />
        <Field form={form} field="birth_date" label="Date of birth" type="date" required max={todayUtc()} />
        <Field form={form} field="school" label="School" required />
        <Field form={form} field="class" label="Class" as="select" required>
          <option value="">Choose the class</option>
          {Array.from({ length: 12 }, (_, i) => (
            <option key={i} value={String(i + 1)}>
              Class {i + 1}
            </option>
          ))}
        </Field>
        <Field form={form} field="experience_level" label="Experience with the instrument" as="select" wide>
          {EXPERIENCE_LEVELS.map((l) => (
            <option key={l} value={l}>
              {COURSE_LEVEL_LABELS[l]}
            </option>
          ))}
        </Field>

        <h2 class="wide">Parent or guardian</h2>
        <Field form={form} field="guardian_name" label="Guardian's full name" required />
        <Field
          form={form}
          field="guardian_wa_number"
          label="Guardian's WhatsApp number"
          type="tel"
          required
          inputmode="tel"
          hint="+62 followed by 9 to 12 digits, like +6281234567890"
        />

        <h2 class="wide">Lessons</h2>
        <PreferredDays form={form} />
        <PreferredTime form={form} />
        <Field form={form} field="start_date_target" label="Preferred start date (optional)" type="date" min={todayUtc()} />
        <InstrumentOwned form={form} />

        <h2 class="wide">Anything else</h2>
        <Field form={form} field="referral_source" label="How did you hear about us? (optional)" as="select">
          <option value="">Choose one</option>
          {REFERRAL_SOURCES.map((r) => (
            <option key={r} value={r}>
              {REFERRAL_LABELS[r]}
            </option>
          ))}
        </Field>
        <Field form={form} field="notes" label="Notes (optional)" as="textarea" wide hint="Up to 1000 characters." />
        <Consent form={form} />

        <SubmitStatus phase={phase} progress={progress} />
        <p class="wide">
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Send registration'}
          </button>
        </p>
      </div>
    </form>
  );
}

function Confirmation({ result, courses, onAnother }) {
  const { booking, values, earlier } = result;
  const heading = useRef(null);
  useEffect(() => heading.current?.focus(), []);
  const title = courses.list?.find((c) => c.id === (booking.course_id ?? values.course_id))?.title ?? result.courseTitle;
  return (
    <section class="card confirmation" aria-labelledby="done-title">
      <p class="big" aria-hidden="true">
        ✓
      </p>
      <h2 id="done-title" tabIndex={-1} ref={heading}>
        Registration received
      </h2>
      <p>
        {earlier ? 'We had already received this registration' : 'Thank you'}
        {values.full_name ? `, ${values.full_name.trim()}` : ''}. The registration for <strong>{title}</strong> is waiting
        for the school to confirm it.
      </p>
      {booking.id && (
        <p>
          Registration number: <strong data-testid="booking-id">{booking.id}</strong>
        </p>
      )}
      <p>
        {booking.expires_at
          ? `It stays pending until the school confirms it, at the latest until ${formatLongDateTime(booking.expires_at)}. If it is not confirmed by then, it lapses.`
          : 'It stays pending until the school confirms it.'}{' '}
        We will contact you at {values.email.trim()}.
      </p>
      <p>
        <button type="button" onClick={onAnother}>
          Register another person
        </button>
      </p>
    </section>
  );
}

function useCourses() {
  const [list, setList] = useState(null);
  const [error, setError] = useState(null);
  const load = async () => {
    setError(null);
    try {
      const res = await api('/api/courses');
      setList((res.data ?? []).filter((c) => c.is_active !== false));
    } catch (err) {
      setList((l) => l ?? []);
      setError(`The courses could not be loaded. ${messageForError(err.status ?? 0, err.body)}`);
    }
  };
  useEffect(() => {
    load();
  }, []);
  return { list, error, reload: load };
}

function App() {
  const courses = useCourses();
  const [formNo, setFormNo] = useState(0);
  const [result, setResult] = useState(null);
  const initialCourse = useRef(new URLSearchParams(location.search).get('course') ?? '');

  useEffect(() => {
    document.title = result ? `Registration received – ${PAGE_TITLE}` : PAGE_TITLE;
  }, [result]);

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
      <h1 id="page-title">Register for a course</h1>
      {result ? (
        <Confirmation result={result} courses={courses} onAnother={another} />
      ) : (
        <>
          <p class="muted">All fields are required unless marked (optional).</p>
          <RegistrationForm key={formNo} courses={courses} onRegistered={registered} initialCourse={formNo ? '' : initialCourse.current} autoFocus={formNo > 0} />
        </>
      )}
    </main>
  );
}

render(<App />, document.getElementById('app'));
