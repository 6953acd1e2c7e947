// Every row of the transition table over HTTP, on both databases: the case is brought to a state the
// row starts from (the path is found by a search over the table itself, so a new row is tested without
// new code), then the row is refused for a role it does not name (403), for each input it needs and
// lacks (400 naming the field), and from a state it does not start from (409), each refusal leaving the
// case and its timeline untouched; and taken by its own role it lands where the table says.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Role } from '@cityops/domain/access/roles';
import { CASE_SOURCES, type CaseSource } from '@cityops/domain/workflow/case-sources';
import { allowedActions, requiredInputs } from '@cityops/domain/workflow/decide';
import { TRANSITIONS, type TransitionRow } from '@cityops/domain/workflow/transitions';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { MODEL_DEPS, modelCase } from './case-model.test-support.ts';
import { planTransition, snapshotOf, type CaseRecord } from './case-transition-plan.ts';
import { POINT_GRID1, setUpCaseWorld, uploadPhoto, type CaseWorld } from './cases.test-support.ts';

interface Step { action: string; role: Role }

const planDeps = MODEL_DEPS;
const COMPLETE = { reason: '理由', attachmentCount: 1, departmentId: 3, mergeTargetId: 99, satisfaction: 'satisfied' };

/** The shortest path of actions from a source's intake to a case on which `row` is possible (breadth-first over the table). */
function pathTo(row: TransitionRow, source: CaseSource): Step[] | null {
  const key = (c: CaseRecord) => `${c.state}|${c.application}|${c.extensions_count}|${c.satisfaction}`;
  const queue: { c: CaseRecord; path: Step[] }[] = [{ c: modelCase(source), path: [] }];
  const seen = new Set([key(queue[0]!.c)]);
  while (queue.length) {
    const { c, path } = queue.shift()!;
    if (allowedActions(snapshotOf(c), row.roles).some((r) => r.action === row.action)) return path;
    for (const next of allowedActions(snapshotOf(c), Object.keys(ROLE_TOKEN) as Role[])) {
      const role = next.roles[0]!;
      const plan = planTransition(c, [role], next.action, COMPLETE, c.updated_at + 60_000, planDeps);
      const after = { ...c, ...plan.changes } as CaseRecord;
      if (seen.has(key(after))) continue;
      seen.add(key(after));
      queue.push({ c: after, path: [...path, { action: next.action, role }] });
    }
  }
  return null;
}

/** Which test user acts in each workflow role (the department is the one cases are dispatched to). */
const ROLE_TOKEN: Partial<Record<Role, keyof CaseWorld['tokens']>> = { acceptor: 'acceptor', shift_chief: 'shiftChief', dispatcher: 'dispatcher', inspector: 'inspector', department: 'hwc' };
const FIELD_OF_INPUT: Record<string, string> = { reason: 'reason', attachmentIds: 'attachmentIds', departmentId: 'departmentId', mergeTargetId: 'mergeTargetId', satisfaction: 'satisfaction' };

/** The source whose intake reaches the row soonest: public cases for the callback, the inspector's own report for 自处置. */
function routeFor(row: TransitionRow): { source: CaseSource; path: Step[] } {
  const sources: CaseSource[] = ['inspector', 'public_web', 'superior'];
  const options = sources
    .flatMap((source) => { const path = pathTo(row, source); return path ? [{ source, path }] : []; })
    .sort((a, b) => a.path.length - b.path.length);
  if (!options.length) throw new Error(`no path reaches '${row.action}'`);
  return options[0]!;
}

describeOnBothDatabases('every transition of the table, and its refusals', (database) => {
  let client: TestClient;
  let w: CaseWorld;
  let mergeTargetId: number;
  before(async () => {
    client = await buildTestApp(database());
    w = await setUpCaseWorld(client);
    mergeTargetId = (await report('inspector')).caseId;
  });
  after(() => client.close());

  async function report(source: CaseSource): Promise<{ caseId: number }> {
    const token = CASE_SOURCES[source].fromPublic ? w.tokens.public : source === 'inspector' ? w.tokens.inspector : w.tokens.acceptor;
    const body: Record<string, unknown> = { source, classCode: '06010', description: '路边暴露垃圾', location: POINT_GRID1 };
    if (CASE_SOURCES[source].fromPublic) body.reporter = { name: '李四', phone: '13900000000' };
    const res = await client.request('POST', '/api/cases', { token, body });
    assert.equal(res.statusCode, 201, res.body);
    return res.json();
  }
  async function completeInput(row: TransitionRow): Promise<Record<string, unknown>> {
    const input: Record<string, unknown> = {};
    for (const field of requiredInputs(row)) {
      if (field === 'reason') input.reason = '依据现场情况';
      if (field === 'attachmentIds') input.attachmentIds = [await uploadPhoto(client, w.tokens[ROLE_TOKEN[row.roles[0]!]!])];
      if (field === 'departmentId') input.departmentId = w.departments.hwc;
      if (field === 'mergeTargetId') input.mergeTargetId = mergeTargetId;
      if (field === 'satisfaction') input.satisfaction = 'basically_satisfied';
    }
    return input;
  }
  const act = (tokenKey: keyof CaseWorld['tokens'], id: number, action: string, body: Record<string, unknown>) =>
    client.request('POST', `/api/cases/${id}/actions/${action}`, { token: w.tokens[tokenKey], body });
  /** What a refusal must leave untouched: the case's version and state, and its timeline. */
  const footprint = async (id: number) => {
    const c = (await client.request('GET', `/api/cases/${id}`, { token: w.tokens.admin })).json();
    const events = (await client.request('GET', `/api/cases/${id}/events`, { token: w.tokens.admin })).json().items;
    return { version: c.version, state: c.state, application: c.application ?? null, events: events.length };
  };
  async function bring(source: CaseSource, path: Step[]): Promise<number> {
    const { caseId } = await report(source);
    for (const step of path) {
      const res = await act(ROLE_TOKEN[step.role]!, caseId, step.action, await completeInput(TRANSITIONS.find((t) => t.action === step.action)!));
      assert.equal(res.statusCode, 200, `${step.action} on the way: ${res.body}`);
    }
    return caseId;
  }

  for (const row of TRANSITIONS) {
    test(`${row.action} (${row.zh}): ${row.from.join('|')} → ${row.to}`, async () => {
      const { source, path } = routeFor(row);
      const id = await bring(source, path);
      const input = await completeInput(row);
      const before = await footprint(id);

      const stranger = (['acceptor', 'shift_chief', 'dispatcher', 'inspector'] as const).find((r) => !(row.roles as readonly Role[]).includes(r))!;
      const forbidden = await act(ROLE_TOKEN[stranger]!, id, row.action, input);
      assert.equal(forbidden.statusCode, 403, `${stranger} may not ${row.action}: ${forbidden.body}`);
      assert.equal(forbidden.json().error.code, 'forbidden');
      assert.deepEqual(await footprint(id), before);
      if ((row.roles as readonly Role[]).includes('department')) {
        const otherDepartment = await act('szc', id, row.action, input);
        assert.ok([403, 404].includes(otherDepartment.statusCode), `another department: ${otherDepartment.statusCode}`);
        assert.deepEqual(await footprint(id), before);
      }

      for (const field of requiredInputs(row)) {
        const lacking = await act(ROLE_TOKEN[row.roles[0]!]!, id, row.action, { ...input, [field]: field === 'attachmentIds' ? [] : undefined });
        assert.equal(lacking.statusCode, 400, `${row.action} without ${field}: ${lacking.body}`);
        assert.equal(lacking.json().error.issues[0].field, FIELD_OF_INPUT[field]);
        assert.deepEqual(await footprint(id), before);
      }

      const done = await act(ROLE_TOKEN[row.roles[0]!]!, id, row.action, input);
      assert.equal(done.statusCode, 200, done.body);
      const expected = row.to === 'same' ? before.state : row.to;
      assert.equal(done.json().toState, expected);
      const after = await footprint(id);
      assert.deepEqual([after.state, after.version, after.events], [expected, before.version + 1, before.events + 1]);

      // From a state the row does not start from: a fresh case at intake, or this one after the action.
      const intake = CASE_SOURCES[source].intakeState;
      const elsewhere = (row.from as readonly string[]).includes(intake) ? id : (await report(source)).caseId;
      const elsewhereBefore = await footprint(elsewhere);
      assert.ok(!(row.from as readonly string[]).includes(elsewhereBefore.state), `${elsewhereBefore.state} is a from-state of ${row.action}`);
      const wrongState = await act(ROLE_TOKEN[row.roles[0]!]!, elsewhere, row.action, row.action === 'merge' ? input : await completeInput(row));
      // A department cannot see a case never dispatched to it: that is a 404, not a state error.
      const expectedStatus = row.roles[0] === 'department' && elsewhere !== id ? 404 : 409;
      assert.equal(wrongState.statusCode, expectedStatus, `${row.action} from ${elsewhereBefore.state}: ${wrongState.body}`);
      if (expectedStatus === 409) assert.equal(wrongState.json().error.code, 'invalid_state');
      assert.deepEqual(await footprint(elsewhere), elsewhereBefore);
    });
  }
});
