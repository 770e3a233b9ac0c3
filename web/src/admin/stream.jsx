// A live stream of the server (SSE) as a hook. The browser's EventSource reconnects by
// itself after a dropped connection and sends Last-Event-ID, so the server replays what was
// missed. When it gives up instead (an error status, say during a restart), a new
// EventSource resumes from the last id it saw, with `last_event_id=` as it cannot set the
// header, after a growing pause; an expired session ends the stream and signs out.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../common/api.js';
import common from '../common/common.messages.js';
import { useI18n } from '../common/i18n.jsx';

export function useEventStream(path, token, onEvent, onUnauthorized) {
  const [state, setState] = useState('connecting');
  const handlers = useRef({});
  handlers.current = { onEvent, onUnauthorized };

  useEffect(() => {
    let source = null;
    let timer = null;
    let stopped = false;
    let lastId = '';
    let pause = 1000;

    const connect = () => {
      const query = new URLSearchParams({ access_token: token });
      if (lastId) query.set('last_event_id', lastId);
      source = new EventSource(`${path}?${query}`);
      source.onopen = () => {
        pause = 1000;
        setState('live');
      };
      source.onmessage = (message) => {
        if (message.lastEventId) lastId = message.lastEventId;
        let event;
        try {
          event = JSON.parse(message.data);
        } catch {
          return;
        }
        let data = event.data;
        if (typeof data === 'string') {
          try {
            data = JSON.parse(data);
          } catch {
            // not JSON: hand it on as it is
          }
        }
        handlers.current.onEvent(event.type, data);
      };
      source.onerror = () => {
        setState('reconnecting');
        if (source.readyState !== EventSource.CLOSED) return;
        source.close();
        timer = setTimeout(async () => {
          try {
            await api('/auth/me', { token });
          } catch (e) {
            if (e.status === 401 || e.status === 403) {
              handlers.current.onUnauthorized?.();
              return;
            }
          }
          if (!stopped) connect();
        }, pause);
        pause = Math.min(pause * 2, 30_000);
      };
    };

    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [path, token]);

  return state;
}

/// `fn`, called once `ms` after the last of a burst of calls (several events of a stream in a
/// burst, say a sweep expiring many bookings, make one reload); never after the view is gone.
export function useDebounced(fn, ms = 150) {
  const timer = useRef(null);
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => latest.current(), ms);
  }, [ms]);
}

export function LiveBadge({ state }) {
  const { t } = useI18n(common);
  const text = t(`live.${state}`);
  return (
    <span class={`live${state === 'live' ? ' on' : ''}`} role="status" data-state={state}>
      {text}
    </span>
  );
}
