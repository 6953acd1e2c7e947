import type { AreaClass } from '../api/territory.ts';
import { useI18n } from '../i18n/index.tsx';
import { AREA_CLASSES, AREA_CLASS_LABEL, areaClassColor } from './style.ts';

export function AreaClassBadge({ value }: { value: AreaClass | null | undefined }) {
  const { t } = useI18n();
  if (value !== 1 && value !== 2 && value !== 3) return <span className="muted">—</span>;
  return (
    <span className="badge" style={{ background: areaClassColor(value), color: '#fff' }}>{t(AREA_CLASS_LABEL[value])}</span>
  );
}

export function AreaClassLegend() {
  const { t } = useI18n();
  return (
    <div className="map-legend">
      <div className="legend-title">{t('territory.areaClass')}</div>
      {AREA_CLASSES.map((c) => (
        <div key={c} className="legend-row">
          <span className="swatch" style={{ background: areaClassColor(c) }} />
          {t(AREA_CLASS_LABEL[c])}
        </div>
      ))}
    </div>
  );
}
