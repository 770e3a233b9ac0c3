// RFM customer segments: a recency × monetary scatter plot coloured by segment, and the
// table behind it, both replaced whenever /segments/stream sends segment_updated.
import { Alert } from '../common/alert.jsx';
import { CUSTOMER_SEGMENTS } from '../common/enums.js';
import { rupiah, rupiahCompact } from '../common/format.js';
import { useI18n } from '../common/i18n.jsx';
import messages from './segments.messages.js';
import { useApi } from '../common/use-api.js';
import { axisDomain, linearScale, niceTicks, sortCustomers } from './rules.js';
import { Section } from './section.jsx';
import { useEventStream } from './stream.jsx';

const W = 640;
const H = 360;
const M = { top: 16, right: 16, bottom: 44, left: 72 };

/** @param {{rows: import('../../generated/openapi.js').components['schemas']['SegmentItem'][]}} props */
function Scatter({ rows }) {
  const { t } = useI18n(messages);
  const xDomain = axisDomain(rows.map((r) => r.recency));
  const yDomain = axisDomain(rows.map((r) => Number(r.monetary)));
  const x = linearScale(xDomain, [M.left, W - M.right]);
  const y = linearScale(yDomain, [H - M.bottom, M.top]);
  return (
    <svg class="plot" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="plot-title plot-desc" data-points={rows.length}>
      <title id="plot-title">{t('plotTitle')}</title>
      <desc id="plot-desc">{t('plotDesc', { count: rows.length })}</desc>
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
            {rupiahCompact(t)}
          </text>
        </g>
      ))}
      <line class="axis" x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} />
      <line class="axis" x1={M.left} x2={M.left} y1={M.top} y2={H - M.bottom} />
      <text x={(M.left + W - M.right) / 2} y={H - 6} text-anchor="middle">
        {t('xAxis')}
      </text>
      <text transform={`translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)`} text-anchor="middle">
        {t('yAxis')}
      </text>
      <g class="points">
        {rows.map((r) => (
          <circle key={r.user_id} class={`seg-${r.customer_segment}`} cx={x(r.recency)} cy={y(Number(r.monetary))} r="5" data-user-id={r.user_id}>
            <title>
              {t('point', { name: r.name, segment: r.customer_segment, recency: r.recency, frequency: r.frequency, money: rupiah(r.monetary) })}
            </title>
          </circle>
        ))}
      </g>
    </svg>
  );
}

export function Segments({ token, onExpired }) {
  const { t } = useI18n(messages);
  // Below four customers there are no segments: the server answers 400 with a detail, and
  // the stream sends that detail in place of the list.
  const { data, error, setData } = useApi('/segments/', { token, onExpired });
  const take = (type, d) => type === 'segment_updated' && (Array.isArray(d) || d?.detail) && setData(d);
  const live = useEventStream('/segments/stream', token, take, onExpired);
  const rows = Array.isArray(data) ? data : null;
  // The server's detail is English (the original's words): the page says it in its language.
  const notice = rows ? null : data?.detail ? t('tooFew') : error;

  const counts = Object.fromEntries(CUSTOMER_SEGMENTS.map((s) => [s, 0]));
  for (const r of rows ?? []) counts[r.customer_segment] = (counts[r.customer_segment] ?? 0) + 1;

  return (
    <Section id="segments" title={t('title')} live={live}>
      <Alert kind="info">{notice}</Alert>
      {rows === null && !notice && <p class="muted">{t('loading')}</p>}
      {rows && (
        <>
          <div class="card">
            <ul class="legend" aria-label={t('legend')}>
              {CUSTOMER_SEGMENTS.map((s) => (
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
              <caption class="sr-only">{t('caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('customer')}</th>
                  <th scope="col">{t('segment')}</th>
                  <th scope="col" class="num">
                    {t('recency')}
                  </th>
                  <th scope="col" class="num">
                    {t('bookings')}
                  </th>
                  <th scope="col" class="num">
                    {t('monetary')}
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
    </Section>
  );
}
