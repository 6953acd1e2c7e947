// A scheme as the editor holds it (numbers as typed) and as it is sent (numbers read exactly; what cannot
// be read goes as null or as typed, so that the server refuses it naming the field; nothing is invented).
import type { ComponentKind, ComprehensiveScheme } from '../api/evaluation.ts';
import { fenToSchemeYuan, numberOrNull, percentTextToShare, shareToPercentText, yuanText, yuanTextToFen } from './fields.tsx';

export interface DraftComponent { code: string; zh: string; en: string; kind: ComponentKind; weight: string; indicator: string; inverse: boolean }
export interface DraftAdjustment { code: string; zh: string; en: string; kind: 'bonus' | 'penalty'; cap: string }
export interface DraftHandicap { unitCode: string; points: string; reason: string }

export interface SchemeDraft {
  name: string; year: string; parentCode: string; note: string;
  checklistCode: string; pointsPerUnit: string; referencePoints: string;
  components: DraftComponent[];
  adjustments: DraftAdjustment[];
  handicaps: DraftHandicap[];
  warningPercent: string; minScoredWeight: string; appealDays: string;
  breakBy: string[]; tieMoney: 'split' | 'each_full';
  /** Yuan as typed, place by place. */
  rewards: string[]; penalties: string[];
}

export function toSchemeDraft(s: ComprehensiveScheme): SchemeDraft {
  return {
    name: s.name, year: String(s.year), parentCode: s.parentCode, note: s.note ?? '',
    checklistCode: s.inspection.checklistCode, pointsPerUnit: String(s.inspection.pointsPerUnit), referencePoints: String(s.inspection.referencePoints),
    components: s.components.map((c) => ({ code: c.code, zh: c.zh, en: c.en, kind: c.kind, weight: String(c.weight), indicator: c.indicator ?? '', inverse: c.inverse ?? false })),
    adjustments: s.adjustments.map((a) => ({ code: a.code, zh: a.zh, en: a.en, kind: a.kind, cap: String(a.cap) })),
    handicaps: s.handicaps.map((h) => ({ unitCode: h.unitCode, points: String(h.points), reason: h.reason })),
    warningPercent: shareToPercentText(s.warningShare), minScoredWeight: String(s.minScoredWeight), appealDays: String(s.appealDays),
    breakBy: [...s.ties.breakBy], tieMoney: s.ties.money,
    rewards: s.ladder.rewards.map(yuanText), penalties: s.ladder.penalties.map(yuanText),
  };
}

/** A ladder place typed in yuan, converted through fen exactly; unreadable text goes as typed. */
export function ladderAmount(text: string): number | string {
  const fen = yuanTextToFen(text);
  return fen === null ? text : fenToSchemeYuan(fen);
}

export function fromSchemeDraft(d: SchemeDraft): unknown {
  return {
    name: d.name.trim(), year: numberOrNull(d.year), parentCode: d.parentCode.trim(),
    components: d.components.map((c) => ({
      code: c.code.trim(), zh: c.zh.trim(), en: c.en.trim(), kind: c.kind, weight: numberOrNull(c.weight),
      ...(c.kind === 'indicator' ? { indicator: c.indicator, ...(c.inverse ? { inverse: true } : {}) } : {}),
    })),
    inspection: { checklistCode: d.checklistCode, pointsPerUnit: numberOrNull(d.pointsPerUnit), referencePoints: numberOrNull(d.referencePoints) },
    adjustments: d.adjustments.map((a) => ({ code: a.code.trim(), zh: a.zh.trim(), en: a.en.trim(), kind: a.kind, cap: numberOrNull(a.cap) })),
    handicaps: d.handicaps.map((h) => ({ unitCode: h.unitCode, points: numberOrNull(h.points), reason: h.reason.trim() })),
    warningShare: percentTextToShare(d.warningPercent), minScoredWeight: numberOrNull(d.minScoredWeight),
    ties: { breakBy: d.breakBy, money: d.tieMoney },
    ladder: { rewards: d.rewards.map(ladderAmount), penalties: d.penalties.map(ladderAmount) },
    appealDays: numberOrNull(d.appealDays),
    ...(d.note.trim() ? { note: d.note.trim() } : {}),
  };
}

/** The weights added up as typed (to 6 decimals, so 33.3 + 33.3 + 33.4 reads 100); null when one cannot be read. */
export function weightTotal(components: readonly DraftComponent[]): number | null {
  let total = 0;
  for (const c of components) {
    const w = numberOrNull(c.weight);
    if (w === null) return null;
    total += w;
  }
  return Number(total.toFixed(6));
}
