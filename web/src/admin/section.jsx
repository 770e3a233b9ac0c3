// A view of the dashboard: its heading (which names the section for screen readers) and,
// for a view kept current by a live stream, the stream's state beside it.
import { LiveBadge } from './stream.jsx';

export function Section({ id, title, live, children }) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <div class="row" style={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <h2 id={`${id}-title`} style={{ flex: '0 1 auto' }}>
          {title}
        </h2>
        {live && <LiveBadge state={live} />}
      </div>
      {children}
    </section>
  );
}
