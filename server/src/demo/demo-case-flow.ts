// One demo case from report to its last step before the log's end: who acts, after how long, and
// which way each step goes, by the probabilities of demo-history-mix.ts. Only sequences the workflow
// table allows are produced; the import replays them and would refuse anything else.
import { computeDeadline } from '@cityops/domain/calendar/deadlines';
import type { TimeLimit } from '@cityops/domain/calendar/time-limits';
import type { WorkCalendar } from '@cityops/domain/calendar/work-calendar';
import { CASE_SOURCES, type CaseSource } from '@cityops/domain/workflow/case-sources';
import type { HistoryRecord } from '../cases/history/history-records.ts';
import { FLOW, REASONS } from './demo-history-mix.ts';
import { pick, type Random } from '@cityops/domain/random';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface CaseFacts {
  ref: string;
  source: CaseSource;
  at: number;
  lon: number;
  lat: number;
  classCode: string;
  componentCode: string | null;
  description: string;
  address: string;
  streetCode: string;
  reporterName: string | null;
  reporterPhone: string | null;
  /** The department the 立结案标准 names, and the limit it sets. */
  departmentCode?: string | null;
  limit?: TimeLimit;
  selfHandle?: number;
  suspend?: number;
  duplicateOf?: CaseFacts;
  /** When the case reached a terminal state (Infinity while open). */
  endAt: number;
}

export interface StaffDirectory {
  inspectorOf(streetCode: string): string;
  acceptors: string[];
  shiftChiefs: string[];
  dispatchers: string[];
  evaluators: string[];
  publicUsers: string[];
  departmentUser(code: string): string | null;
  /** 1 = a department that takes half the limit on average; higher is slower. */
  departmentSpeed(code: string): number;
  /** Departments a dispatcher might send a case to by mistake. */
  dispatchable: string[];
}

type Event = Omit<HistoryRecord, 'line'>;

/** When `limit` runs out from `start` on the calendar (no pauses, so always an instant). */
const dueAt = (calendar: WorkCalendar, start: number, limit: TimeLimit): number => computeDeadline(calendar, start, limit).dueAtMs!;

/** A standard normal deviate (Box–Muller). */
function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function reporterOf(random: Random, source: CaseSource, c: CaseFacts, staff: StaffDirectory): string | null {
  if (source === 'inspector') return staff.inspectorOf(c.streetCode);
  if (source === 'third_party') return pick(random, staff.evaluators);
  if (source === 'public_web') return random() < 0.6 || !staff.publicUsers.length ? null : pick(random, staff.publicUsers);
  return pick(random, staff.acceptors);
}

export function simulateCase(random: Random, c: CaseFacts, staff: StaffDirectory, calendar: WorkCalendar, until: number): Event[] {
  const out: Event[] = [];
  const urgent = c.limit?.unit === 'urgent_hours';
  let t = c.at;
  const emit = (action: string, actor: string | null, extra: Partial<Event> = {}) => {
    t = Math.ceil(t / 1000) * 1000; // records keep whole seconds, as source systems do
    out.push({ caseRef: c.ref, at: t, action, actor, report: null, reason: null, departmentCode: null, mergeInto: null, satisfaction: null, photos: 0, note: null, ...extra });
  };
  // The command centre works around the clock on urgent cases; everyone else in working time.
  const wait = (range: readonly [number, number], factor = 1): boolean => {
    const hours = (range[0] + (range[1] - range[0]) * random()) * factor;
    t = urgent ? t + hours * HOUR_MS : calendar.addWorkingMs(t, hours * HOUR_MS);
    return t <= until;
  };
  const end = () => { c.endAt = t; };
  const d = FLOW.delays;

  emit('report', reporterOf(random, c.source, c, staff), {
    report: { source: c.source, classCode: c.classCode, lon: c.lon, lat: c.lat, description: c.description, address: c.address, componentCode: c.componentCode, reporterName: c.reporterName, reporterPhone: c.reporterPhone },
  });
  if (CASE_SOURCES[c.source].intakeState === 'pending_verify') {
    const target = c.duplicateOf;
    if (target) {
      if (!wait(d.accept!)) return out;
      if (target.endAt > t) {
        emit('merge', pick(random, staff.acceptors), { mergeInto: target.ref });
        end();
        return out;
      }
    }
    const roll = random();
    if (roll < FLOW.rejectAtVerify) {
      if (!wait(d.accept!)) return out;
      emit('reject', pick(random, staff.acceptors), { reason: pick(random, REASONS.reject) });
      end();
      return out;
    }
    if (!wait(d.verify!)) return out;
    if (roll < FLOW.rejectAtVerify + FLOW.verifyRefute) {
      emit('verify_refute', staff.inspectorOf(c.streetCode), { reason: pick(random, REASONS.refute) });
      end();
      return out;
    }
    emit('verify_confirm', staff.inspectorOf(c.streetCode));
  } else {
    if (c.source === 'inspector' && random() < (c.selfHandle ?? 0)) {
      if (!wait([0.05, 0.3])) return out;
      emit('self_handle', staff.inspectorOf(c.streetCode), { photos: 1 + Math.floor(random() * 2), note: '现场已自行处置' });
      end();
      return out;
    }
    if (!wait(d.accept!)) return out;
    if (random() < FLOW.rejectAtAccept) {
      emit('reject', pick(random, staff.acceptors), { reason: pick(random, REASONS.reject) });
      end();
      return out;
    }
    emit('accept', pick(random, staff.acceptors));
  }
  if (!wait(d.register!)) return out;
  if (random() < FLOW.voidAtRegister) {
    emit('void', pick(random, staff.shiftChiefs), { reason: pick(random, REASONS.void) });
    end();
    return out;
  }
  emit('register', pick(random, staff.shiftChiefs));

  const right = c.departmentCode ?? null;
  const rightUser = right ? staff.departmentUser(right) : null;
  if (!right || !rightUser || !c.limit) return out;
  const dispatcher = pick(random, staff.dispatchers);
  if (!wait(d.dispatch!)) return out;
  if (random() < FLOW.wrongDispatch) {
    const wrong = pick(random, staff.dispatchable.filter((code) => code !== right));
    const wrongUser = wrong ? staff.departmentUser(wrong) : null;
    if (wrong && wrongUser) {
      emit('dispatch', dispatcher, { departmentCode: wrong });
      if (!wait(d.sign!)) return out;
      emit('sign', wrongUser);
      if (!wait(d.returnAsk!)) return out;
      emit('request_return', wrongUser, { reason: pick(random, REASONS.returnAsk) });
      if (!wait(d.ruling!)) return out;
      emit('approve_return', dispatcher);
      if (!wait(d.dispatch!)) return out;
    }
  }
  emit('dispatch', dispatcher, { departmentCode: right });
  const speed = staff.departmentSpeed(right);
  let roundStart = t;
  for (let round = 0; ; round++) {
    if (!wait(d.sign!, speed)) return out;
    emit('sign', rightUser);
    // Handling time as a share of the limit: lognormal around half of it, scaled by the department.
    const share = speed * Math.exp(-0.7 + 0.55 * normal(random));
    let feedbackAt = dueAt(calendar, roundStart, { value: c.limit.value * share, unit: c.limit.unit });
    const late = share > 1;
    if (round === 0 && (late ? random() < 0.4 : random() < FLOW.extension * 0.4)) {
      const askAt = Math.max(t, dueAt(calendar, roundStart, { value: c.limit.value * 0.7, unit: c.limit.unit }));
      if (askAt < feedbackAt) {
        t = askAt;
        if (t > until) return out;
        emit('request_extension', rightUser, { reason: pick(random, REASONS.extension) });
        if (!wait(d.ruling!)) return out;
        if (random() < FLOW.extensionRefused) emit('refuse_extension', dispatcher, { reason: pick(random, REASONS.extensionRefused) });
        else emit('approve_extension', dispatcher);
      }
    }
    if (round === 0 && random() < (c.suspend ?? 0)) {
      if (!wait([1, 6])) return out;
      emit('request_suspension', rightUser, { reason: pick(random, REASONS.suspension) });
      if (!wait(d.ruling!)) return out;
      emit('approve_suspension', dispatcher);
      t += (FLOW.suspensionDays[0] + random() * (FLOW.suspensionDays[1] - FLOW.suspensionDays[0])) * DAY_MS;
      if (t > until) return out;
      emit('resume', dispatcher);
      feedbackAt = dueAt(calendar, t, { value: c.limit.value * share * 0.5, unit: c.limit.unit });
    }
    t = Math.max(t + 5 * 60_000, feedbackAt);
    if (t > until) return out;
    emit('feedback', rightUser, { photos: 1 + Math.floor(random() * 3) });
    if (!wait(d.check!)) return out;
    if (round < 2 && random() < FLOW.checkFail) {
      emit('check_fail', staff.inspectorOf(c.streetCode), { reason: pick(random, REASONS.checkFail) });
      roundStart = t;
      continue;
    }
    emit('check_pass', staff.inspectorOf(c.streetCode));
    break;
  }
  if (!wait(d.close!)) return out;
  emit('close', pick(random, staff.shiftChiefs));
  end();
  if (CASE_SOURCES[c.source].fromPublic && random() < FLOW.rated) {
    t += (FLOW.callbackHours[0] + random() * (FLOW.callbackHours[1] - FLOW.callbackHours[0])) * HOUR_MS;
    if (t > until) return out;
    let roll = random();
    const level = FLOW.satisfaction.find(([, p]) => (roll -= p) < 0)?.[0] ?? 'satisfied';
    emit('rate', pick(random, staff.acceptors), { satisfaction: level });
  }
  return out;
}
