// Pieces the points and credit pages share: the alert badge in its card colour, signed points, the year picker.
import type { AlertLevel, CreditKind, CreditLevel } from '../api/points.ts';
import { beijingYearNow } from '../api/points.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';

export const CREDIT_KINDS: CreditKind[] = ['frontage_shop', 'sanitation_contractor', 'muck_transport'];

/** Warning amber, yellow card yellow, red card red: the colours the cards are named after. */
const LEVEL_STYLE: Record<string, { color: string; background: string }> = {
  warning: { color: '#9a4a00', background: '#fde5cc' },
  yellow_card: { color: '#6b4e00', background: '#fde047' },
  red_card: { color: '#fff', background: '#b42318' },
};

export function LevelBadge({ level }: { level: AlertLevel | null }) {
  const { t } = useI18n();
  if (!level) return <span className="muted small">{t('pts.level.none')}</span>;
  return <span className="badge pts-level" data-level={level.code} style={LEVEL_STYLE[level.code]}>{t(`pts.level.${level.code}` as MessageKey)}</span>;
}

/** Credit levels best first: A green, B blue, C amber, the rest red (the bands are the office's data; only the first letters are styled). */
const CREDIT_STYLE: Record<string, { color: string; background: string }> = {
  A: { color: '#1e7b3a', background: '#dcf2e3' },
  B: { color: '#1f4fa3', background: '#dde8fb' },
  C: { color: '#9a4a00', background: '#fde5cc' },
};

export function CreditLevelBadge({ level }: { level: CreditLevel | null }) {
  if (!level) return <span className="muted">—</span>;
  return <span className="badge credit-level" data-level={level.code} style={CREDIT_STYLE[level.code[0] ?? ''] ?? { color: '#b42318', background: '#fde2e1' }}>{level.code} · {level.zh}</span>;
}

/** Points with their sign, one decimal at most (the ledgers keep tenths). */
export const signedPoints = (v: number) => (v > 0 ? `+${v}` : v < 0 ? `−${Math.abs(v)}` : '0');

export function YearSelect({ year, onChange }: { year: number; onChange: (year: number) => void }) {
  const { t } = useI18n();
  const now = beijingYearNow();
  const years = [now, now - 1, now - 2, now - 3];
  return (
    <label className="inline-field"><span>{t('pts.year')}</span>
      <select value={year} onChange={(e) => onChange(Number(e.target.value))}>{years.map((y) => <option key={y} value={y}>{y}</option>)}</select>
    </label>
  );
}

export function Tabs<T extends string>({ tabs, current, onChange, label }: { tabs: [T, string][]; current: T; onChange: (tab: T) => void; label: string }) {
  return (
    <div className="tabs" role="tablist" aria-label={label} style={{ marginBottom: 12 }}>
      {tabs.map(([key, text]) => (
        <button key={key} type="button" role="tab" aria-selected={current === key} className={current === key ? 'tab active' : 'tab'} onClick={() => onChange(key)}>{text}</button>
      ))}
    </div>
  );
}
