import { api } from './client.ts';

export interface IndicatorRow { code: string; zh: string; en: string; numerator: number; denominator: number; value: number | null; text: string; better: string }
export interface Unit { kind: string; id: number; code: string; name: string; level?: string }
export interface IndicatorAnswer {
  period: { code: string; zh: string; en: string };
  asOf: string;
  unit: Unit;
  measures: Record<string, number>;
  indicators: IndicatorRow[];
  children?: { unit: Unit; measures: Record<string, number>; indicators: IndicatorRow[] }[];
}

export const indicators = (query: { period?: string; territory?: string; breakdown?: 'children' }, signal?: AbortSignal) =>
  api.get<IndicatorAnswer>('/api/indicators', query, signal);
