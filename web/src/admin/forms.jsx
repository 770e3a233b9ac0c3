// The parts of the dashboard's forms: a labelled field with its hint and error, the
// question before a delete, the state of an action (busy, its error), and which form of a
// card is open.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import common from '../common/common.messages.js';
import { useI18n } from '../common/i18n.jsx';

/// The words of a failed request: the server's own message, or ours when it gave none.
export function failureText(err, w) {
  if (err.status === 0) return w('unreachable');
  if (typeof err.body?.detail === 'string' || Array.isArray(err.body?.detail) || err.body?.error?.message) return err.message;
  return w('serverAnswered', { status: err.status });
}

/// {busy, error, run}: `run(fn, explain)` awaits `fn` and keeps its failure as `error` (in
/// the words `explain(err)` gives, else the server's); a 401 ends the session instead.
export function useAction(onExpired) {
  const { t: w } = useI18n(common);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = async (fn, explain) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return true;
    } catch (err) {
      if (err.status === 401) onExpired?.();
      else setError(explain?.(err) ?? failureText(err, w));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

/// A labelled control with its hint and its error, which it is described by.
export function Field({ id, label, hint, error, as: Control = 'input', inputRef, class: extra, ...props }) {
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div class={['field', extra].filter(Boolean).join(' ')}>
      <label for={id}>{label}</label>
      <Control id={id} ref={inputRef} aria-invalid={error ? 'true' : undefined} aria-describedby={described || undefined} {...props} />
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/// Focuses the control of the first field (in `order`) that has an error.
export function focusFirstError(errors, order, idOf) {
  const first = order.find((f) => errors[f]);
  if (first) document.getElementById(idOf(first))?.focus();
}

/// The question before a delete, in the page: "Batal" has the focus, Escape is "Batal" too.
export function ConfirmDelete({ id, text, yes, busy, onYes, onNo }) {
  const { t: w } = useI18n(common);
  const noRef = useRef(null);
  useLayoutEffect(() => noRef.current?.focus(), []);
  return (
    <div class="alert info confirm" role="group" aria-labelledby={`${id}-text`} onKeyDown={(e) => e.key === 'Escape' && onNo()}>
      <p id={`${id}-text`}>{text}</p>
      <div class="row">
        <button type="button" class="danger" disabled={busy} onClick={onYes}>
          {yes}
        </button>
        <button type="button" class="secondary" ref={noRef} disabled={busy} onClick={onNo}>
          {w('cancel')}
        </button>
      </div>
    </div>
  );
}

/// Which form of a card is open (`mode`, null for none), with its action: `open(mode, from)`
/// opens one and remembers the id of the button it came from, which gets the focus back
/// when the form closes (`close()`); `back.current` may name another one before it closes.
export function useEditMode(onExpired) {
  const [mode, setMode] = useState(null);
  const action = useAction(onExpired);
  const back = useRef(null);
  useLayoutEffect(() => {
    if (mode === null && back.current) {
      document.getElementById(back.current)?.focus();
      back.current = null;
    }
  }, [mode]);
  const open = (next, from) => {
    action.setError(null);
    back.current = from;
    setMode(next);
  };
  return { mode, setMode, action, open, close: () => setMode(null), back };
}
