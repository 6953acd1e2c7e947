import { Fragment } from 'react';
import type { LocateResult, LocatedRef } from '../api/territory.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { ErrorPanel } from '../components/ErrorPanel.tsx';
import { Loading } from '../components/Status.tsx';
import { AreaClassBadge } from './AreaClassBadge.tsx';

interface LocatePanelProps {
  active: boolean;
  onToggle: () => void;
  point: [number, number] | null;
  result?: LocateResult | undefined;
  loading: boolean;
  error?: unknown;
  onSelect: (code: string) => void;
}

const ROWS: { key: 'grid' | 'community' | 'street' | 'district'; label: MessageKey }[] = [
  { key: 'grid', label: 'level.grid' },
  { key: 'community', label: 'level.community' },
  { key: 'street', label: 'level.street' },
  { key: 'district', label: 'level.district' },
];

/** "Locate a point": click the map, see which grid / community / street / district contains it. */
export function LocatePanel({ active, onToggle, point, result, loading, error, onSelect }: LocatePanelProps) {
  const { t } = useI18n();
  const ref = (r: LocatedRef | null | undefined) =>
    r ? <button type="button" className="link-btn" onClick={() => onSelect(r.code)}>{r.name} <span className="muted mono">{r.code}</span></button> : <span className="muted">—</span>;
  return (
    <div className="locate-panel">
      <button type="button" className={active ? 'btn primary' : 'btn'} onClick={onToggle}>
        {active ? t('locate.stop') : t('locate.start')}
      </button>
      <p className="muted small">{active ? t('locate.hintActive') : t('locate.hint')}</p>
      {point && (
        <div className="small">
          {t('locate.point')}: <span className="mono">{point[0].toFixed(6)}, {point[1].toFixed(6)}</span>
        </div>
      )}
      {loading && <Loading inline />}
      <ErrorPanel error={error} />
      {result && !loading && (result.found ? (
        <dl className="props">
          {ROWS.map((row) => (
            <Fragment key={row.key}>
              <dt>{t(row.label)}</dt>
              <dd>{ref(result[row.key])}</dd>
            </Fragment>
          ))}
          <dt>{t('territory.areaClass')}</dt>
          <dd><AreaClassBadge value={result.areaClass} /></dd>
        </dl>
      ) : (
        <div className="notice warn">{t('locate.notFound')}</div>
      ))}
    </div>
  );
}
