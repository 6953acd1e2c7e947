// The life of a month's evaluation result (考评结果), one table the server enforces and the UI reads:
// draft → preliminary (issued to the units; the appeal window opens) → final (every appeal ruled, the
// window closed) → published (public; never changed in place). A correction of a published result is a
// new version, opened as a draft with its reason, that replaces the old one when it is published.
import type { Role } from '../access/roles.ts';

export const RESULT_STATES = {
  draft: { zh: '草稿', en: 'Draft', units: false, public: false },
  preliminary: { zh: '初步结果(申诉期)', en: 'Preliminary (open to appeal)', units: true, public: false },
  final: { zh: '最终结果', en: 'Final', units: true, public: false },
  published: { zh: '已发布', en: 'Published', units: true, public: true },
  superseded: { zh: '已被更正版本取代', en: 'Replaced by a correction', units: true, public: true },
} as const;
export type ResultState = keyof typeof RESULT_STATES;

/** What must hold for an action, checked by the server against the stored run. */
export type ResultGuard = 'appeal_window_closed' | 'no_pending_appeals' | 'reason_given';

export interface ResultAction {
  zh: string;
  en: string;
  from: readonly ResultState[];
  to: ResultState;
  roles: readonly Role[];
  guards: readonly ResultGuard[];
}

export const RESULT_ACTIONS = {
  recompute: { zh: '重新计算', en: 'Recompute', from: ['draft'], to: 'draft', roles: ['evaluation_office'], guards: [] },
  issue: { zh: '下发初步结果', en: 'Issue to the units', from: ['draft'], to: 'preliminary', roles: ['evaluation_office'], guards: [] },
  finalize: { zh: '确定最终结果', en: 'Finalize', from: ['preliminary'], to: 'final', roles: ['evaluation_office'], guards: ['appeal_window_closed', 'no_pending_appeals'] },
  publish: { zh: '发布', en: 'Publish', from: ['final'], to: 'published', roles: ['evaluation_office'], guards: [] },
  correct: { zh: '更正(新版本)', en: 'Correct (new version)', from: ['published'], to: 'draft', roles: ['evaluation_office'], guards: ['reason_given'] },
} as const satisfies Record<string, ResultAction>;
export type ResultActionName = keyof typeof RESULT_ACTIONS;

/** Appeals (申诉): filed by the unit's government while the preliminary result is open, ruled by the office before it is final. */
export const APPEAL_RULES = {
  file: { states: ['preliminary'] as readonly ResultState[], roles: ['territory_government'] as readonly Role[], withinWindow: true },
  rule: { states: ['preliminary'] as readonly ResultState[], roles: ['evaluation_office'] as readonly Role[], withinWindow: false },
} as const;

export const APPEAL_OUTCOMES = {
  upheld: { zh: '申诉成立', en: 'Upheld' },
  rejected: { zh: '申诉不成立', en: 'Rejected' },
} as const;
export type AppealOutcome = keyof typeof APPEAL_OUTCOMES;

export function isResultAction(name: string): name is ResultActionName {
  return Object.hasOwn(RESULT_ACTIONS, name);
}

/** The actions a role may take on a result in `state` (guards aside). */
export function resultActionsFor(state: ResultState, roles: readonly Role[]): ResultActionName[] {
  return (Object.entries(RESULT_ACTIONS) as [ResultActionName, ResultAction][])
    .filter(([, a]) => a.from.includes(state) && a.roles.some((r) => roles.includes(r)))
    .map(([name]) => name);
}
