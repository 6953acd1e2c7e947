// The day's work as a weighted mix of operations (e2e/load.e2e.test.ts): each operation sends its requests and
// says whether every answer was the expected one. The weights are data: reads outnumber writes, as at a city's
// command centre, and every report is taken through acceptance, registration and dispatch by its own loop. The
// key tasks, the points ledgers and the credit register (issue 10) are a smaller share: their pages are read
// and their reports written a few times a day per unit, not with every case.

export interface LoadWorld {
  base: string;
  tokens: Record<'admin' | 'inspector' | 'acceptor' | 'shiftChief' | 'dispatcher' | 'leader' | 'district' | 'office', string>;
  /**
   * The command centre's staff on shift, several per role (the demo's 受理员, 值班长, 派遣员): each loop's cases are
   * taken forward by its own colleague of each role, as a shift shares the work, not by one person for all.
   */
  staff: Record<'acceptor' | 'shiftChief' | 'dispatcher', string[]>;
  /** A point inside the inspector's street. */
  place: { lon: number; lat: number };
  /** Case ids answered 201 to this run's reports. */
  acknowledged: Set<number>;
  /** How far each of the run's cases has gone (0 reported, 1 accepted, 2 registered, 3 dispatched). */
  stage: Map<number, number>;
  /** The demo's key-task plan (双十): its tasks, and the two milestones the load writes to. */
  keyTasks: {
    planId: number;
    taskIds: number[];
    /** An open milestone its lead unit reports progress on (token: that unit's user). */
    progress: { taskId: number; milestoneId: number; token: string };
    /**
     * A milestone taken round its review: the lead unit submits it, the office returns it, and so on; one step at a
     * time across the loops (`busy`), as one office reviews one submission.
     */
    review: { taskId: number; milestoneId: number; token: string; state: 'open' | 'submitted'; busy: boolean };
  };
  /** Overlays with entries in the year's points ledger, after the office's sweep. */
  pointsAreas: string[];
  /** The demo's credit register: subject ids (the office's pages) and credit codes (the public records). */
  credit: { subjectIds: number[]; codes: string[] };
}

export interface LoopState {
  loop: number;
  /** The loop's own cases still to take forward: only its loop acts on a case, so no two steps race. */
  own: number[];
  random: () => number;
  mark: string;
}

export interface Sample {
  op: string;
  ms: number;
  ok: boolean;
  detail?: string | undefined;
}

type Outcome = { ok: boolean; detail?: string };

async function call(world: LoadWorld, token: string, method: string, path: string, expected: number, body?: unknown): Promise<{ outcome: Outcome; json: unknown }> {
  const res = await fetch(`${world.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status !== expected) return { outcome: { ok: false, detail: `${method} ${path}: ${res.status} ${text.slice(0, 160)}` }, json: null };
  return { outcome: { ok: true }, json: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

const anyOf = <T>(items: readonly T[], random: () => number): T | undefined => items[Math.floor(random() * items.length)];
/** One of the run's cases, for the reads of a case. */
const someCase = (world: LoadWorld, random: () => number) => anyOf([...world.acknowledged], random);

/** The steps that take a reported case forward, in order: who acts, and with what. */
const STEPS = [
  { action: 'accept', token: 'acceptor' },
  { action: 'register', token: 'shiftChief' },
  { action: 'dispatch', token: 'dispatcher' },
] as const;

export interface Operation {
  name: string;
  weight: number;
  run(world: LoadWorld, state: LoopState): Promise<Outcome>;
}

export const MIX: readonly Operation[] = [
  {
    name: 'report', weight: 4,
    async run(world, state) {
      const jitter = () => (state.random() - 0.5) * 0.0002;
      const { outcome, json } = await call(world, world.tokens.inspector, 'POST', '/api/cases', 201, {
        source: 'inspector', classCode: '06010', description: `${state.mark} 路边暴露垃圾 ${state.loop}`, location: { lon: world.place.lon + jitter(), lat: world.place.lat + jitter() },
      });
      if (outcome.ok) {
        const id = (json as { caseId: number }).caseId;
        if (world.acknowledged.has(id)) return { ok: false, detail: `case ${id} answered twice` };
        world.acknowledged.add(id);
        world.stage.set(id, 0);
        state.own.push(id);
      }
      return outcome;
    },
  },
  {
    name: 'workflow_step', weight: 3,
    async run(world, state) {
      const id = state.own[0];
      if (id === undefined) return (await call(world, world.tokens.acceptor, 'GET', '/api/cases?state=pending_accept&limit=20', 200)).outcome;
      const done = world.stage.get(id)!;
      const step = STEPS[done]!;
      let body: Record<string, unknown> = {};
      if (step.action === 'dispatch') {
        const detail = await call(world, world.tokens.dispatcher, 'GET', `/api/cases/${id}`, 200);
        if (!detail.outcome.ok) return detail.outcome;
        body = { departmentId: (detail.json as { suggestedDepartment: { id: number } }).suggestedDepartment.id };
      }
      const colleagues = world.staff[step.token];
      const { outcome } = await call(world, colleagues[state.loop % colleagues.length]!, 'POST', `/api/cases/${id}/actions/${step.action}`, 200, body);
      if (outcome.ok) {
        world.stage.set(id, done + 1);
        if (done + 1 === STEPS.length) state.own.shift();
      }
      return outcome;
    },
  },
  { name: 'list', weight: 4, run: async (world, state) => (await call(world, world.tokens.dispatcher, 'GET', `/api/cases?limit=20&offset=${Math.floor(state.random() * 3) * 20}&sort=${anyOf(['reported_desc', 'due_asc'], state.random)}`, 200)).outcome },
  { name: 'list_open_district', weight: 2, run: async (world) => (await call(world, world.tokens.district, 'GET', '/api/cases?limit=20&state=pending_handle,handling&sort=due_asc', 200)).outcome },
  {
    name: 'case_page', weight: 3,
    async run(world, state) {
      const id = someCase(world, state.random);
      if (id === undefined) return { ok: true };
      const detail = await call(world, world.tokens.leader, 'GET', `/api/cases/${id}`, 200);
      if (!detail.outcome.ok) return detail.outcome;
      return (await call(world, world.tokens.leader, 'GET', `/api/cases/${id}/events`, 200)).outcome;
    },
  },
  { name: 'map_points', weight: 1, run: async (world) => (await call(world, world.tokens.leader, 'GET', '/api/cases/points?limit=20000', 200)).outcome },
  { name: 'workbench_counts', weight: 2, run: async (world) => (await call(world, world.tokens.dispatcher, 'GET', '/api/cases/summary', 200)).outcome },
  { name: 'indicators', weight: 1, run: async (world) => (await call(world, world.tokens.leader, 'GET', '/api/indicators', 200)).outcome },
  { name: 'public_portal', weight: 1, run: async (world) => (await call(world, '', 'GET', '/api/public/services', 200)).outcome },
  { name: 'open311_requests', weight: 1, run: async (world) => (await call(world, '', 'GET', '/open311/v2/requests.json', 200)).outcome },
  // Key tasks (重点任务): a unit opens its plans and the board, the leader a task page; the lead unit reports progress;
  // the office reviews a submitted milestone (returned, then submitted again by its unit).
  {
    name: 'key_task_board', weight: 0.5,
    async run(world) {
      const plans = await call(world, world.keyTasks.progress.token, 'GET', '/api/key-tasks/plans', 200);
      if (!plans.outcome.ok) return plans.outcome;
      return (await call(world, world.keyTasks.progress.token, 'GET', `/api/key-tasks/plans/${world.keyTasks.planId}`, 200)).outcome;
    },
  },
  { name: 'key_task_page', weight: 0.5, run: async (world, state) => (await call(world, world.tokens.leader, 'GET', `/api/key-tasks/tasks/${anyOf(world.keyTasks.taskIds, state.random)}`, 200)).outcome },
  {
    name: 'key_task_report', weight: 0.25,
    async run(world, state) {
      const { taskId, milestoneId, token } = world.keyTasks.progress;
      return (await call(world, token, 'POST', `/api/key-tasks/tasks/${taskId}/reports`, 201, { milestoneId, percent: 40 + Math.floor(state.random() * 50), text: `${state.mark} 按计划推进，已完成部分点位` })).outcome;
    },
  },
  {
    name: 'key_task_review', weight: 0.25,
    async run(world, state) {
      const r = world.keyTasks.review;
      // Another loop holds the milestone's step: the office reads what awaits it instead.
      if (r.busy) return (await call(world, world.tokens.office, 'GET', '/api/key-tasks/mine', 200)).outcome;
      r.busy = true;
      try {
        const submitted = r.state === 'submitted';
        const { outcome } = submitted
          ? await call(world, world.tokens.office, 'POST', `/api/key-tasks/milestones/${r.milestoneId}/review`, 200, { outcome: 'returned', reason: `${state.mark} 材料不全，请补充现场照片` })
          : await call(world, r.token, 'POST', `/api/key-tasks/tasks/${r.taskId}/reports`, 201, { milestoneId: r.milestoneId, percent: 100, text: `${state.mark} 已补充材料，再次提请验收`, submit: true });
        if (outcome.ok) r.state = submitted ? 'open' : 'submitted';
        return outcome;
      } finally {
        r.busy = false;
      }
    },
  },
  // Points (累计加减分): a district's overlays, the units' totals, an overlay's ledger, the alerts.
  { name: 'points_areas', weight: 0.5, run: async (world) => (await call(world, world.tokens.district, 'GET', '/api/points/areas', 200)).outcome },
  { name: 'points_units', weight: 0.25, run: async (world) => (await call(world, world.tokens.leader, 'GET', '/api/points/units', 200)).outcome },
  { name: 'points_area_entries', weight: 0.25, run: async (world, state) => (await call(world, world.tokens.office, 'GET', `/api/points/entries?area=${encodeURIComponent(anyOf(world.pointsAreas, state.random) ?? '')}&limit=20`, 200)).outcome },
  { name: 'points_alerts', weight: 0.25, run: async (world) => (await call(world, world.tokens.leader, 'GET', '/api/points/alerts', 200)).outcome },
  // Credit (信用积分): the office's register and a subject's record; the public list and a public record, without an account.
  { name: 'credit_register', weight: 0.25, run: async (world) => (await call(world, world.tokens.office, 'GET', '/api/credit/subjects', 200)).outcome },
  { name: 'credit_subject', weight: 0.25, run: async (world, state) => (await call(world, world.tokens.office, 'GET', `/api/credit/subjects/${anyOf(world.credit.subjectIds, state.random)}`, 200)).outcome },
  { name: 'public_credit_list', weight: 0.5, run: async (world) => (await call(world, '', 'GET', '/api/public/credit', 200)).outcome },
  { name: 'public_credit_record', weight: 0.25, run: async (world, state) => (await call(world, '', 'GET', `/api/public/credit/subjects/${anyOf(world.credit.codes, state.random)}`, 200)).outcome },
];

const TOTAL_WEIGHT = MIX.reduce((sum, o) => sum + o.weight, 0);

/** The operation a uniform draw in [0, 1) falls on, by weight. */
export function pickOperation(draw: number): Operation {
  let left = draw * TOTAL_WEIGHT;
  for (const operation of MIX) {
    left -= operation.weight;
    if (left < 0) return operation;
  }
  return MIX[MIX.length - 1]!;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0);
const round = (ms: number) => Math.round(ms * 10) / 10;

/** Each operation's count, rate, errors and latency percentiles, and the whole run's. */
export function summarise(samples: readonly Sample[], seconds: number) {
  const byOp = new Map<string, Sample[]>();
  for (const s of samples) (byOp.get(s.op) ?? byOp.set(s.op, []).get(s.op)!).push(s);
  const figures = (list: readonly Sample[]) => {
    const ms = list.map((s) => s.ms).sort((a, b) => a - b);
    return { count: list.length, perSecond: Math.round(list.length / seconds), errors: list.filter((s) => !s.ok).length, p50: round(percentile(ms, 0.5)), p95: round(percentile(ms, 0.95)), p99: round(percentile(ms, 0.99)), max: round(ms.at(-1) ?? 0) };
  };
  const all = figures(samples);
  return {
    requests: all.count, perSecond: all.perSecond, errors: all.errors, errorRate: all.count ? all.errors / all.count : 0, p50: all.p50, p95: all.p95, p99: all.p99, max: all.max,
    operations: Object.fromEntries(MIX.map((o) => [o.name, figures(byOp.get(o.name) ?? [])])),
  };
}
