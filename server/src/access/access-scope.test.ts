// Issue 9.1, scope within a role (PRODUCT.md §1: "Nobody sees or changes what is outside their scope; the public
// sees only public fields, never reporters' contact data"). Two districts side by side: every territorial role
// granted the west district reads the west's case and not the east's, by id, by its timeline, photos and lists;
// a department reads the cases dispatched to it and not another's; and no public answer carries a reporter's
// name, phone or e-mail. access-matrix.test.ts holds which roles reach each route at all.
// The second suite is a department's whole reach on the hand-computed October (indicators.test-support.ts): a
// department grant carries its department's home node too (the city, for a city department), and no read may
// take that node for a territory scope (grant-scope.ts).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Role } from '@cityops/domain/access/roles';
import { describeOnBothDatabases } from '../test/databases.ts';
import { FIXTURE, square } from '../test/fixtures.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { POINT_GRID1, PNG_1PX, setUpCaseWorld, type CaseWorld } from '../cases/cases.test-support.ts';
import { buildOctober, type OctoberWorld } from '../indicators/indicators.test-support.ts';
import { cliActor } from '../audit/audit.ts';
import { createApiKey } from './access.service.ts';

/** A second district east of the fixture's, with its street, community and one grid. */
const EAST = { district: '990103', street: '990103001', community: '990103001001', grid: '990103001001001' };
const POINT_EAST = { lon: 118.8025, lat: 32.0005 };
/** The reporter's contact data, which no public answer may carry. */
const REPORTER = { name: '欧阳娜娜', phone: '13912345678', email: 'oyn@example.cn' };
/** Roles whose grant is a territory subtree and that read cases. */
const TERRITORIAL_READERS: Role[] = ['admin', 'evaluation_office', 'acceptor', 'shift_chief', 'dispatcher', 'inspector', 'territory_government', 'leader'];

describeOnBothDatabases('access by scope: own and foreign district and department, public fields only (issue 9.1)', (database) => {
  let client: TestClient;
  let w: CaseWorld;
  const west = { caseId: 0, code: '', photo: 0 };
  const east = { caseId: 0, code: '', photo: 0 };
  let szcCase = 0;
  let cityInspector = '';

  const act = async (token: string, id: number, action: string, body: Record<string, unknown> = {}) => {
    const res = await client.request('POST', `/api/cases/${id}/actions/${action}`, { token, body });
    assert.equal(res.statusCode, 200, `${action}: ${res.body}`);
  };
  const photo = async (token: string) => {
    const res = await client.app.inject({ method: 'POST', url: '/api/attachments?filename=site.png', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' }, payload: PNG_1PX });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().id as number;
  };
  /** A public report with a photo and the reporter's contact data, verified, registered and dispatched. */
  const dispatchedReport = async (location: { lon: number; lat: number }, departmentId: number) => {
    const photoId = await photo(w.tokens.public);
    const res = await client.request('POST', '/api/cases', { token: w.tokens.public, body: { source: 'public_web', classCode: '06010', description: '人行道上堆着垃圾', location, reporter: REPORTER, attachmentIds: [photoId] } });
    assert.equal(res.statusCode, 201, res.body);
    const { caseId, code } = res.json() as { caseId: number; code: string };
    // A public report is verified on site (核实) before it is registered.
    await act(cityInspector, caseId, 'verify_confirm');
    await act(w.tokens.shiftChief, caseId, 'register');
    await act(w.tokens.dispatcher, caseId, 'dispatch', { departmentId });
    return { caseId, code, photo: photoId };
  };

  before(async () => {
    client = await buildTestApp(database());
    w = await setUpCaseWorld(client);
    cityInspector = await client.tokenFor([{ role: 'inspector', territoryCode: FIXTURE.city }]);
    const feature = (code: string, level: string, parent: string) => ({ type: 'Feature', properties: { code, name: `东 ${level}`, level, parent_code: parent }, geometry: square(118.802, 32.0, 0.001) });
    const imported = await client.request('POST', '/api/territory/import', { token: w.tokens.admin, body: { type: 'FeatureCollection', features: [
      feature(EAST.district, 'district', FIXTURE.city), feature(EAST.street, 'street', EAST.district), feature(EAST.community, 'community', EAST.street), feature(EAST.grid, 'grid', EAST.community),
    ] } });
    assert.equal(imported.statusCode, 200, imported.body);
    Object.assign(west, await dispatchedReport(POINT_GRID1, w.departments.hwc));
    Object.assign(east, await dispatchedReport(POINT_EAST, w.departments.hwc));
    szcCase = (await dispatchedReport(POINT_GRID1, w.departments.szc)).caseId;
  });
  after(() => client.close());

  const status = async (token: string, url: string) => (await client.request('GET', url, { token })).statusCode;
  const listed = async (token: string) => ((await client.request('GET', '/api/cases?limit=100', { token })).json().items as { id: number }[]).map((c) => c.id).sort((a, b) => a - b);

  test('every territorial role of the west district reads the west case, its timeline and photo, and nothing of the east case', async () => {
    const wrong: string[] = [];
    for (const role of TERRITORIAL_READERS) {
      const token = await client.tokenFor([{ role, territoryCode: FIXTURE.district }]);
      for (const [side, c, expected] of [['west', west, 200], ['east', east, 404]] as const) {
        for (const url of [`/api/cases/${c.caseId}`, `/api/cases/${c.caseId}/events`, `/api/cases/${c.caseId}/client-updates`, `/api/attachments/${c.photo}`, `/api/attachments/${c.photo}/meta`]) {
          const got = await status(token, url);
          if (got !== expected) wrong.push(`${role} ${side} ${url}: ${got}, expected ${expected}`);
        }
      }
      const ids = await listed(token);
      if (!ids.includes(west.caseId) || ids.includes(east.caseId)) wrong.push(`${role}: the list holds ${ids.join(',')}`);
      const points = ((await client.request('GET', '/api/cases/points', { token })).json() as { points: [number, number, number, number][] }).points.map((p) => p[3]);
      if (!points.includes(west.caseId) || points.includes(east.caseId)) wrong.push(`${role}: the map shows ${points.join(',')}`);
    }
    assert.deepEqual(wrong, []);
  });

  test('a west dispatcher cannot act on the east case, nor read the east district\'s indicators; the east one can', async () => {
    const westDispatcher = await client.tokenFor([{ role: 'dispatcher', territoryCode: FIXTURE.district }]);
    const eastDispatcher = await client.tokenFor([{ role: 'dispatcher', territoryCode: EAST.district }]);
    const recall = (token: string) => client.request('POST', `/api/cases/${east.caseId}/actions/approve_return`, { token, body: {} });
    assert.equal((await recall(westDispatcher)).statusCode, 404, 'the east case does not exist for the west');
    assert.notEqual((await recall(eastDispatcher)).statusCode, 404, 'the east dispatcher finds it (and is told why the action does not apply)');
    assert.equal((await client.request('GET', `/api/cases/${east.caseId}`, { token: eastDispatcher })).statusCode, 200);
    const indicators = (token: string, territory: string) => client.request('GET', `/api/indicators?territory=${territory}`, { token });
    assert.equal((await indicators(westDispatcher, FIXTURE.district)).statusCode, 200);
    assert.equal((await indicators(westDispatcher, EAST.district)).statusCode, 403);
    assert.equal((await indicators(westDispatcher, FIXTURE.city)).statusCode, 403, 'the city is above the grant');
  });

  test('a department reads the cases dispatched to it and neither another department\'s case nor its photo', async () => {
    assert.equal(await status(w.tokens.hwc, `/api/cases/${west.caseId}`), 200);
    assert.equal(await status(w.tokens.hwc, `/api/cases/${szcCase}`), 404);
    assert.equal(await status(w.tokens.szc, `/api/cases/${west.caseId}`), 404);
    assert.equal(await status(w.tokens.szc, `/api/attachments/${west.photo}`), 404);
    assert.deepEqual(await listed(w.tokens.szc), [szcCase]);
    assert.deepEqual(await listed(w.tokens.hwc), [west.caseId, east.caseId]);
    const sign = await client.request('POST', `/api/cases/${west.caseId}/actions/sign`, { token: w.tokens.szc, body: {} });
    assert.equal(sign.statusCode, 404);
    assert.equal((await client.request('GET', `/api/indicators?department=${w.departments.hwc}`, { token: w.tokens.szc })).statusCode, 403);
  });

  test('no public answer carries a reporter\'s name, phone or e-mail; staff who work the case see them', async () => {
    const { key } = await createApiKey(client.database.db, cliActor(), { name: 'scope', client: 'open311 test client' });
    const anotherCitizen = await client.tokenFor([{ role: 'public' }]);
    const answers: [string, string, string | undefined][] = [
      ['GET', `/api/public/cases/${west.code}`, undefined],
      ['GET', '/api/public/rankings', undefined],
      ['GET', '/api/public/services', undefined],
      ['GET', '/api/public/territory', undefined],
      ['GET', '/open311/v2/requests.json', undefined],
      ['GET', '/open311/v2/requests.xml', undefined],
      ['GET', `/open311/v2/requests/${west.code}.json`, undefined],
      ['GET', `/open311/v2/requests/${west.code}.xml`, undefined],
      ['GET', `/open311/v2/servicerequestupdates.json?api_key=${key}`, undefined],
      ['GET', `/api/cases/${west.caseId}`, w.tokens.leader],
      ['GET', '/api/me/reports', anotherCitizen],
    ];
    const leaks: string[] = [];
    for (const [method, url, token] of answers) {
      const res = await client.request(method as 'GET', url, token ? { token } : {});
      assert.ok(res.statusCode < 500, `${url}: ${res.statusCode}`);
      for (const value of Object.values(REPORTER)) if (res.body.includes(value)) leaks.push(`${url} (${res.statusCode}) carries ${value}`);
    }
    assert.deepEqual(leaks, []);
    const publicCase = (await client.request('GET', `/api/public/cases/${west.code}`)).json();
    assert.equal(publicCase.code, west.code, 'the public view is there, only without the reporter');
    const acceptorView = (await client.request('GET', `/api/cases/${west.caseId}`, { token: w.tokens.acceptor })).json();
    assert.equal(acceptorView.reporter.phone, REPORTER.phone);
  });
});

describeOnBothDatabases('access by scope: a department reads its own department, never its home territory (the October of indicators.test-support.ts)', (database) => {
  let client: TestClient;
  let world: OctoberWorld;
  /** A street office (街道办) as a department: its home is the street. */
  let streetOffice = '';
  /** HWC's user who also governs the street: the street is theirs by that grant, the city by neither. */
  let hwcAndStreet = '';
  /** The fixture's every node, city to grid: a city department's home and all below it. */
  const NODES = [FIXTURE.city, FIXTURE.district, FIXTURE.street, FIXTURE.community, FIXTURE.grids[0]];
  const OCTOBER = 'period=2026-10';

  before(async () => {
    client = await buildTestApp(database());
    world = await buildOctober(client);
    streetOffice = await client.tokenFor([{ role: 'department', departmentCode: 'JD-990102001' }]);
    hwcAndStreet = await client.tokenFor([{ role: 'department', departmentCode: 'HWC' }, { role: 'territory_government', territoryCode: FIXTURE.street }]);
  });
  after(() => client.close());

  const get = (token: string, url: string) => client.request('GET', url, { token });
  const pick = (measures: Record<string, number>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, measures[k]]));
  const HWC_KEYS = ['dispatched', 'handled', 'handled_on_time', 'due_to_handle', 'overdue', 'reworked', 'closed', 'due_to_close'];

  test('indicators: a department reads its own department (by default and by id), and no territory node, its home included', async () => {
    const tokens = world.w.tokens;
    // HWC held A, B, C, D and E (period-measures.test.ts): 6 handlings, 5 of 7 due on time, 2 overdue, 2 reworks, 4 of 5 closed.
    const hwcFigures = { dispatched: 3, handled: 6, handled_on_time: 5, due_to_handle: 7, overdue: 2, reworked: 2, closed: 4, due_to_close: 5 };
    const own = await get(tokens.hwc, `/api/indicators?${OCTOBER}`);
    assert.equal(own.statusCode, 200, own.body);
    // Before grant-scope.ts this was the city (unit 990100, 立案数 4): the grant's home node taken for a scope.
    assert.deepEqual([own.json().unit.kind, own.json().unit.code], ['department', 'HWC']);
    assert.deepEqual(pick(own.json().measures, HWC_KEYS), hwcFigures);
    assert.deepEqual(pick((await get(tokens.hwc, `/api/indicators?${OCTOBER}&department=${world.w.departments.hwc}`)).json().measures, HWC_KEYS), hwcFigures);
    // SZC's one dispatch (E) came back as a wrong dispatch.
    const szc = (await get(tokens.szc, `/api/indicators?${OCTOBER}`)).json();
    assert.deepEqual([szc.unit.code, szc.measures.dispatched, szc.measures.returned, szc.measures.handled], ['SZC', 1, 1, 0]);
    const office = (await get(streetOffice, `/api/indicators?${OCTOBER}`)).json();
    assert.deepEqual([office.unit.code, office.measures.dispatched], ['JD-990102001', 0]);

    const opened: string[] = [];
    for (const [name, token] of [['HWC', tokens.hwc], ['SZC', tokens.szc], ['street office', streetOffice]] as const) {
      for (const code of NODES) {
        for (const extra of ['', '&breakdown=children']) {
          const res = await get(token, `/api/indicators?${OCTOBER}&territory=${code}${extra}`);
          if (res.statusCode !== 403) opened.push(`${name} ${code}${extra}: ${res.statusCode}`);
        }
      }
    }
    assert.deepEqual(opened, []);
    assert.equal((await get(tokens.hwc, `/api/indicators?${OCTOBER}&department=${world.w.departments.szc}`)).statusCode, 403);
    assert.equal((await get(tokens.hwc, `/api/indicators?${OCTOBER}&department=${world.w.departments.street}`)).statusCode, 403);
  });

  test('indicators: with a territorial grant beside it, that grant\'s subtree is read (and is the default), the department\'s home is not', async () => {
    const street = await get(hwcAndStreet, `/api/indicators?${OCTOBER}`);
    assert.deepEqual([street.statusCode, street.json().unit.code, street.json().measures.registered], [200, FIXTURE.street, 4]);
    assert.equal((await get(hwcAndStreet, `/api/indicators?${OCTOBER}&territory=${FIXTURE.grids[0]}`)).statusCode, 200);
    assert.equal((await get(hwcAndStreet, `/api/indicators?${OCTOBER}&territory=${FIXTURE.district}`)).statusCode, 403);
    assert.equal((await get(hwcAndStreet, `/api/indicators?${OCTOBER}&territory=${FIXTURE.city}`)).statusCode, 403);
    assert.deepEqual(pick((await get(hwcAndStreet, `/api/indicators?${OCTOBER}&department=${world.w.departments.hwc}`)).json().measures, ['dispatched', 'handled']), { dispatched: 3, handled: 6 });
  });

  test('performance: a department reads the department ranking with its own score, and no region ranking', async () => {
    const tokens = world.w.tokens;
    const departments = (await get(tokens.hwc, `/api/performance/department?${OCTOBER}`)).json();
    const hwc = departments.items.find((i: { unit: { code: string } }) => i.unit.code === 'HWC');
    assert.deepEqual([hwc.rank, hwc.score, hwc.grade], [1, 75.43, 'B']);
    const opened: string[] = [];
    for (const [name, token] of [['HWC', tokens.hwc], ['SZC', tokens.szc], ['street office', streetOffice]] as const) {
      // Before grant-scope.ts a city department read the city's ranking of its districts (the district at 74.25) and every one below.
      for (const parent of [null, FIXTURE.city, FIXTURE.district, FIXTURE.street, FIXTURE.community]) {
        const res = await get(token, `/api/performance/region?${OCTOBER}${parent ? `&parent=${parent}` : ''}`);
        if (res.statusCode !== 403) opened.push(`${name} region under ${parent ?? 'the city'}: ${res.statusCode}`);
      }
      for (const post of ['inspector', 'acceptor', 'shift_chief', 'dispatcher']) {
        const res = await get(token, `/api/performance/${post}?${OCTOBER}`);
        if (res.statusCode !== 403) opened.push(`${name} ${post}: ${res.statusCode}`);
      }
    }
    assert.deepEqual(opened, []);
    // The street's government (same user) reads the ranking its street takes part in, not the city's.
    const streets = await get(hwcAndStreet, `/api/performance/region?${OCTOBER}&parent=${FIXTURE.district}`);
    assert.deepEqual([streets.statusCode, streets.json().items.map((i: { unit: { code: string }; score: number }) => [i.unit.code, i.score])], [200, [[FIXTURE.street, 74.25]]]);
    assert.equal((await get(hwcAndStreet, `/api/performance/region?${OCTOBER}`)).statusCode, 403);
  });

  test('cases: a department\'s list, counts, map points and cells are the cases dispatched to it, whatever territory it names', async () => {
    const { tokens } = world.w;
    const { A, B, C, D, E } = world.ids;
    const ids = async (token: string, url: string) => ((await get(token, url)).json().items as { id: number }[]).map((c) => c.id).sort((x, y) => x - y);
    const pointIds = async (token: string) => ((await get(token, '/api/cases/points')).json().points as [number, number, number, number][]).map((p) => p[3]).sort((x, y) => x - y);
    const cells = async (token: string) => (await get(token, '/api/cases/aggregate?bbox=118.79,31.99,118.81,32.01&zoom=12')).json().total as number;
    const summary = async (token: string) => (await get(token, '/api/cases/summary')).json().total as number;
    const hwcCases = [A, B, C, D, E].sort((x, y) => x - y);
    // The city's dispatcher sees all seven (F not accepted, G merged into D); HWC its five; SZC none (E was returned
    // to dispatch and went to HWC); the street office none: every case lies in its street, none was dispatched to it.
    assert.equal((await ids(tokens.dispatcher, '/api/cases?limit=100')).length, 7);
    assert.equal(await cells(tokens.dispatcher), 7);
    for (const [token, mine] of [[tokens.hwc, hwcCases], [tokens.szc, []], [streetOffice, []]] as const) {
      assert.deepEqual(await ids(token, '/api/cases?limit=100'), mine);
      assert.deepEqual(await ids(token, `/api/cases?limit=100&territory=${FIXTURE.city}`), mine);
      assert.deepEqual(await pointIds(token), mine);
      assert.equal(await cells(token), mine.length);
    }
    // Open now: D alone (HWC signed for it on 30 October and never reported back).
    assert.deepEqual([await summary(tokens.hwc), await summary(tokens.szc), await summary(streetOffice)], [1, 0, 0]);
    for (const token of [tokens.szc, streetOffice]) {
      assert.equal((await get(token, `/api/cases/${D}`)).statusCode, 404);
      const res = await client.request('POST', `/api/cases/${D}/actions/request_extension`, { token, body: { reason: '需调运车辆' } });
      assert.equal(res.statusCode, 404, 'another department\'s case does not exist for it');
    }
  });
});
