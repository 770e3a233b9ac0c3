// /register/status?token=…: the applicant's own registration, reached from the link in its
// messages. Shows the booking and its course, and cancels it while it is pending or
// waitlisted. Indonesian first, with an English switch that the browser remembers.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { api } from '../common/api.js';
import { rupiah } from '../common/format.js';

const LANG_KEY = 'janji.lang';

const TEXT = {
  id: {
    title: 'Status pendaftaran',
    loading: 'Memuat…',
    notFound: 'Tautan ini tidak dikenal. Periksa kembali tautan dari pesan kami.',
    noToken: 'Tautan ini tidak lengkap: tokennya tidak ada.',
    unreachable: 'Server tidak dapat dihubungi. Coba lagi sebentar lagi.',
    course: 'Kursus',
    student: 'Nama siswa',
    status: 'Status',
    price: 'Biaya per sesi',
    expires: 'Menunggu konfirmasi hingga',
    registered: 'Didaftarkan',
    cancel: 'Batalkan pendaftaran',
    confirmCancel: 'Yakin ingin membatalkan pendaftaran ini?',
    cancelled: 'Pendaftaran sudah dibatalkan.',
    cannotCancel: 'Pendaftaran ini tidak dapat dibatalkan lagi dari sini; hubungi kami.',
    switchTo: 'English',
    statuses: {
      pending: 'Menunggu konfirmasi',
      waitlisted: 'Dalam daftar tunggu',
      confirmed: 'Dikonfirmasi',
      rejected: 'Ditolak',
      cancelled: 'Dibatalkan',
      expired: 'Kedaluwarsa',
    },
  },
  en: {
    title: 'Registration status',
    loading: 'Loading…',
    notFound: 'This link is not known. Please check the link in our message.',
    noToken: 'This link is incomplete: it has no token.',
    unreachable: 'The server could not be reached. Please try again shortly.',
    course: 'Course',
    student: 'Student',
    status: 'Status',
    price: 'Price per session',
    expires: 'Awaiting confirmation until',
    registered: 'Registered',
    cancel: 'Cancel the registration',
    confirmCancel: 'Do you really want to cancel this registration?',
    cancelled: 'The registration is cancelled.',
    cannotCancel: 'This registration can no longer be cancelled here; please contact us.',
    switchTo: 'Bahasa Indonesia',
    statuses: {
      pending: 'Awaiting confirmation',
      waitlisted: 'On the waiting list',
      confirmed: 'Confirmed',
      rejected: 'Rejected',
      cancelled: 'Cancelled',
      expired: 'Expired',
    },
  },
};

function storedLang() {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

const dateTime = (value, lang) =>
  value
    ? new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
        dateStyle: 'full',
        timeStyle: 'short',
      }).format(new Date(value))
    : '—';

function StatusPage() {
  const [lang, setLang] = useState(storedLang);
  const [state, setState] = useState({ loading: true });
  const [busy, setBusy] = useState(false);
  const t = TEXT[lang];
  const token = new URLSearchParams(location.search).get('token') ?? '';

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t.title;
  }, [lang]);

  useEffect(() => {
    if (!token) {
      setState({ error: 'noToken' });
      return;
    }
    api(`/api/booking/manage/${encodeURIComponent(token)}`)
      .then(({ data }) => setState({ data }))
      .catch((e) => setState({ error: e.status === 404 ? 'notFound' : 'unreachable' }));
  }, [token]);

  const switchLang = () => {
    const next = lang === 'id' ? 'en' : 'id';
    try {
      localStorage.setItem(LANG_KEY, next);
    } catch {
      /* a browser without storage just forgets */
    }
    setLang(next);
  };

  const cancel = async () => {
    if (!confirm(t.confirmCancel)) return;
    setBusy(true);
    try {
      const { data } = await api(`/api/booking/manage/${encodeURIComponent(token)}/cancel`, {
        method: 'POST',
      });
      setState({ data: { ...state.data, booking: data.booking }, notice: 'cancelled' });
    } catch (e) {
      setState({ ...state, error: e.status === 409 ? 'cannotCancel' : 'unreachable' });
    } finally {
      setBusy(false);
    }
  };

  const { data } = state;
  const booking = data?.booking;
  const cancellable = booking && (booking.status === 'pending' || booking.status === 'waitlisted');
  return (
    <main class="narrow card">
      <div class="row">
        <h1>{t.title}</h1>
        <button type="button" class="secondary" onClick={switchLang} lang={lang === 'id' ? 'en' : 'id'}>
          {t.switchTo}
        </button>
      </div>
      {state.loading && <p>{t.loading}</p>}
      <Alert>{state.error && t[state.error]}</Alert>
      <Alert kind="ok">{state.notice && t[state.notice]}</Alert>
      {booking && (
        <dl class="details" data-testid="booking">
          <dt>{t.course}</dt>
          <dd>{data.course.title}</dd>
          <dt>{t.student}</dt>
          <dd>{booking.applicant_full_name}</dd>
          <dt>{t.status}</dt>
          <dd data-testid="status">{t.statuses[booking.status] ?? booking.status}</dd>
          <dt>{t.price}</dt>
          <dd>{rupiah(data.course.price_per_session)}</dd>
          {booking.status === 'pending' && (
            <>
              <dt>{t.expires}</dt>
              <dd>{dateTime(booking.expires_at, lang)}</dd>
            </>
          )}
          <dt>{t.registered}</dt>
          <dd>{dateTime(booking.created_at, lang)}</dd>
        </dl>
      )}
      {cancellable && (
        <button type="button" class="danger" disabled={busy} onClick={cancel}>
          {t.cancel}
        </button>
      )}
    </main>
  );
}

render(<StatusPage />, document.getElementById('app'));
