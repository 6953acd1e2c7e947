import type { ClassOrigin } from '../api/catalog.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';

const LABEL: Record<ClassOrigin, MessageKey> = { standard: 'origin.standard', derived: 'origin.derived', extension: 'origin.extension' };

export function OriginBadge({ origin, note }: { origin: ClassOrigin; note?: string | null }) {
  const { t } = useI18n();
  return <span className={`badge origin-${origin}`} title={note ?? undefined}>{t(LABEL[origin] ?? 'origin.standard')}</span>;
}
