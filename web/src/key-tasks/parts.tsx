// Pieces the key-task pages share: the status chip in its board colour, the unit names by role.
import type { KtMilestone, KtUnit, StatusColour } from '../api/key-tasks.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';

/** The board's colours (挂图作战的红黄绿, plus blue under review, orange done late, grey not yet due). */
export const COLOURS: Record<StatusColour, { fg: string; bg: string }> = {
  green: { fg: '#1e7b3a', bg: '#dcf2e3' },
  orange: { fg: '#9a4a00', bg: '#fde5cc' },
  blue: { fg: '#1f4fa3', bg: '#dde8fb' },
  red: { fg: '#b42318', bg: '#fde2e1' },
  yellow: { fg: '#8a6100', bg: '#fef3c7' },
  grey: { fg: '#4b5563', bg: '#e5e7eb' },
};

export function StatusChip({ m, withName = false }: { m: KtMilestone; withName?: boolean }) {
  const { t } = useI18n();
  const c = COLOURS[m.colour];
  const status = t(`kt.status.${m.status}` as MessageKey);
  const due = `${m.dueDate}${m.granularity === 'week' ? t('kt.week') : ''}`;
  return (
    <span className="badge kt-chip" data-status={m.status} title={`${m.name} · ${due} · ${status}`} style={{ color: c.fg, background: c.bg }}>
      {withName ? `${m.name} ${due}` : due} · {status}{m.daysLate > 0 ? ` ${t('kt.daysLate', { n: m.daysLate })}` : ''}
    </span>
  );
}

export function UnitNames({ units, role }: { units: KtUnit[]; role: 'lead' | 'cooperating' }) {
  const names = units.filter((u) => u.role === role).map((u) => u.name);
  return <>{names.length ? names.join('、') : '—'}</>;
}
