import type { AreaClass, TerritoryLevel } from '../api/territory.ts';
import type { MessageKey } from '../i18n/index.tsx';

/** Area class colours (一类 hardest to keep → warm), shared by the map, legend and badges. */
export const AREA_CLASS_COLORS: Record<AreaClass, string> = { 1: '#d9643a', 2: '#e3a72f', 3: '#4e9a6b' };
export const AREA_CLASSES: AreaClass[] = [1, 2, 3];

export const AREA_CLASS_LABEL: Record<AreaClass, MessageKey> = { 1: 'area.class1', 2: 'area.class2', 3: 'area.class3' };

export const LEVEL_LABEL: Record<TerritoryLevel, MessageKey> = {
  city: 'level.city', district: 'level.district', street: 'level.street', community: 'level.community', grid: 'level.grid',
};

export function areaClassColor(value: number | null | undefined): string {
  return value === 1 || value === 2 || value === 3 ? AREA_CLASS_COLORS[value] : '#8a99a8';
}
