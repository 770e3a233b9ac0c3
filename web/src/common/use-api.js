// The one way the admin views load what they show: GET `path` whenever it (or the token)
// changes, keep the last answer, and end the session on 401.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';

/// Returns {data, error, reload, setData}: `data` is the last answer (null until the first),
/// kept while a new one loads and when a reload fails; `error` the message of the last
/// failure, cleared by the next success. An answer that arrives after `path` changed again is
/// dropped. `setData` changes the data in place, e.g. with an event of a live stream.
export function useApi(path, { token, onExpired } = {}) {
  const [state, setState] = useState({ data: null, error: null });
  const [round, setRound] = useState(0);
  const expired = useRef(onExpired);
  expired.current = onExpired;

  useEffect(() => {
    let current = true;
    api(path, { token }).then(
      (data) => current && setState({ data, error: null }),
      (err) => {
        if (err.status === 401 && expired.current) expired.current();
        else if (current) setState((s) => ({ data: s.data, error: err.message }));
      },
    );
    return () => {
      current = false;
    };
  }, [path, token, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  const setData = useCallback(
    (next) => setState((s) => ({ ...s, data: typeof next === 'function' ? next(s.data) : next })),
    [],
  );
  return { data: state.data, error: state.error, reload, setData };
}
