// RFM customer segments: a recency × monetary scatter plot coloured by segment, and the
// table behind it, both replaced whenever /segments/stream sends segment_updated.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { SEGMENT_ORDER, axisDomain, linearScale, niceTicks, rupiah, sortCustomers } from './rules.js';
import { LiveBadge, useEventStream } from './stream.jsx';

const W = 640;
const H = 360;
const M = { top: 16, right: 16, bottom: 44, left: 72 };

const compactRupiah = (v) =>
  v >= 1e6 ? `${Number((v / 1e6).toPrecision(3))} jt` : v >= 1e3 ? `${Number((v / 1e3).toPrecision(3))} rb` : String(v);

function Scatter({ rows }) {
  const x = linearScale(axisDomain(rows.map((r) => r.recency)), [M.left, W - M.right]);
  const yDomain = axisDomain(rows.map((r) => Number(r.monetary)));
  const y = linearScale(yDomain, [H - M.bottom, M.top]);
  const xDomain = axisDomain(rows.map((r) => r.recency));
  return (
    <svg class="plot" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="plot-title plot-desc" data-points={rows.length}>
      <title id="plot-title">Customers by recency and money spent</title>
      <desc id="plot-desc">
        {rows.length} customers; each point is one customer, coloured by segment. Further right is longer since the last booking, higher is more spent.
      </desc>
      {niceTicks(...xDomain).map((t) => (
        <g>
          <line class="grid" x1={x(t)} x2={x(t)} y1={M.top} y2={H - M.bottom} />
          <text x={x(t)} y={H - M.bottom + 16} text-anchor="middle">
            {t}
          </text>
        </g>
      ))}
      {niceTicks(...yDomain).map((t) => (
        <g>
          <line class="grid" x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
          <text x={M.left - 6} y={y(t) + 4} text-anchor="end">
            {compactRupiah(t)}
          </text>
        </g>
      ))}
      <line class="axis" x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} />
      <line class="axis" x1={M.left} x2={M.left} y1={M.top} y2={H - M.bottom} />
      <text x={(M.left + W - M.right) / 2} y={H - 6} text-anchor="middle">
        Recency (days since the last booking)
      </text>
      <text transform={`translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)`} text-anchor="middle">
        Monetary (rupiah)
      </text>
      <g class="points">
        {rows.map((r) => (
          <circle key={r.user_id} class={`seg-${r.customer_segment}`} cx={x(r.recency)} cy={y(Number(r.monetary))} r="5" data-user-id={r.user_id}>
            <title>
              {r.name}: {r.customer_segment}, {r.recency} days, {r.frequency} bookings, {rupiah(r.monetary)}
            </title>
          </circle>
        ))}
      </g>
    </svg>
  );
}

export function Segments({ token, onExpired }) {
  const [rows, setRows] = useState(null);
  const [notice, setNotice] = useState(null);

  const take = (data) => {
    if (Array.isArray(data)) {
      setRows(data);
      setNotice(null);
    } else if (data?.detail) {
      setNotice(data.detail);
    }
  };

  useEffect(() => {
    api('/segments/', { token })
      .then(take)
      .catch((err) => {
        if (err.status === 401) onExpired();
        else setNotice(err.message);
      });
  }, [token]);

  const live = useEventStream('/segments/stream', token, (type, data) => type === 'segment_updated' && take(data), onExpired);

  const counts = Object.fromEntries(SEGMENT_ORDER.map((s) => [s, 0]));
  for (const r of rows ?? []) counts[r.customer_segment] = (counts[r.customer_segment] ?? 0) + 1;

  return (
    <section aria-labelledby="segments-title">
      <div class="row" style={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <h2 id="segments-title">Customer segments</h2>
        <LiveBadge state={live} />
      </div>
      {notice && (
        <p class="alert info" role="status">
          {notice}
        </p>
      )}
      {rows === null && !notice && <p class="muted">Loading segments…</p>}
      {rows && (
        <>
          <div class="card">
            <ul class="legend" aria-label="Segments">
              {SEGMENT_ORDER.map((s) => (
                <li class={`seg-${s}`}>
                  <span class="dot" aria-hidden="true" />
                  <span style={{ color: 'var(--ink)' }}>
                    {s}: {counts[s]}
                  </span>
                </li>
              ))}
            </ul>
            <Scatter rows={rows} />
          </div>
          <div class="table-wrap card">
            <table>
              <caption class="sr-only">Customers and their segments</caption>
              <thead>
                <tr>
                  <th scope="col">Customer</th>
                  <th scope="col">Segment</th>
                  <th scope="col" class="num">
                    Recency (days)
                  </th>
                  <th scope="col" class="num">
                    Bookings
                  </th>
                  <th scope="col" class="num">
                    Monetary
                  </th>
                </tr>
              </thead>
              <tbody>
                {sortCustomers(rows).map((r) => (
                  <tr key={r.user_id} data-user-id={r.user_id}>
                    <td>{r.name}</td>
                    <td>
                      <span class={`seg-${r.customer_segment}`}>●</span> {r.customer_segment}
                    </td>
                    <td class="num">{r.recency}</td>
                    <td class="num">{r.frequency}</td>
                    <td class="num">{rupiah(r.monetary)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
