// Previous / next for a paged list of the course envelope ({pagination: {page, total_pages,
// total}}), with "Halaman 2 dari 5" between them.
import common from '../common/common.messages.js';
import { useI18n } from '../common/i18n.jsx';
import { pageInfo } from './rules.js';

export function Pager({ pagination, onPage, label }) {
  const { t } = useI18n(common);
  const p = pageInfo(pagination);
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" class="secondary" disabled={!p.prev} onClick={() => onPage(pagination.page - 1)}>
        {t('previous')}
      </button>
      <span aria-live="polite">{t('page', { page: p.page, pages: p.pages })}</span>
      <button type="button" class="secondary" disabled={!p.next} onClick={() => onPage(pagination.page + 1)}>
        {t('next')}
      </button>
    </nav>
  );
}
