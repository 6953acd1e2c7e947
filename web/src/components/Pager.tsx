import { useI18n } from '../i18n/index.tsx';

interface PagerProps {
  total: number;
  /** False when the server counted only up to `total` (a list of millions shows "10,000+" rather than counting them all). */
  totalExact?: boolean | undefined;
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
}

export function Pager({ total, totalExact = true, limit, offset, onChange }: PagerProps) {
  const { t, num } = useI18n();
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(total, offset + limit);
  const more = totalExact ? '' : '+';
  return (
    <div className="pager">
      <span className="muted">{t('pager.range', { from: num(from), to: num(to), total: num(total) + more })}</span>
      <button type="button" className="btn small" disabled={page <= 1} onClick={() => onChange(0)}>«</button>
      <button type="button" className="btn small" disabled={page <= 1} onClick={() => onChange(Math.max(0, offset - limit))}>{t('pager.prev')}</button>
      <span>{t('pager.page', { page, pages: `${pages}${more}` })}</span>
      <button type="button" className="btn small" disabled={page >= pages && totalExact} onClick={() => onChange(offset + limit)}>{t('pager.next')}</button>
      <button type="button" className="btn small" disabled={page >= pages || !totalExact} onClick={() => onChange((pages - 1) * limit)}>»</button>
    </div>
  );
}
