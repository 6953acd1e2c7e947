import type { Urgency } from '../api/catalog.ts';
import type { MessageKey } from '../i18n/index.tsx';

export const URGENCY: Record<Urgency, MessageKey> = { extra_urgent: 'urgency.extra_urgent', urgent: 'urgency.urgent', normal: 'urgency.normal' };
