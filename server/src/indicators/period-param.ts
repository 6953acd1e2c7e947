// The period a request or a command names, shared by the indicator, evaluation and report routes and the CLI.
import { Type } from '@fastify/type-provider-typebox';
import { ValidationError } from '@cityops/domain/errors';
import { parsePeriod, periodContaining, previousPeriod, type Period } from '@cityops/domain/indicators/periods';

export const PeriodQuery = Type.String({ description: 'a period: 2026-10-08, 2026-10-H1, 2026-10, 2026-Q4, 2026 or 2026-10-01..2026-10-20 (default: the last full month)' });

/** The period named, or the last full month (what a monthly ranking means by default). */
export function periodFrom(code: string | undefined, now: number, field = 'period'): Period {
  if (code === undefined || code === '') return previousPeriod(periodContaining('month', now));
  const parsed = parsePeriod(code, field);
  if (!parsed.ok) throw new ValidationError([parsed.issue]);
  return parsed.period;
}
