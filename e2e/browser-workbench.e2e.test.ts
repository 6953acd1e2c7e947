import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemoServer, type RunningServer } from './support/serve.ts';
import { apiOf, launchBrowser, PageWatch, PNG_BYTES, PNG_FILE, shotDir, signInPage } from './support/browser.ts';

type Summary = { total: number; items: { state: string; stateLabel: string; total: number; red: number; yellow: number }[] };

/**
 * A department's working day (its workbench counts and its place in the half-monthly report, 半月通报), an
 * inspector checking a case on site with no network (核查, kept on the phone and sent once when back online),
 * and an acceptor registering a 12345 call. The cases they act on are brought to their state through the API
 * first, as the centre would: the demo's own open cases depend on the hour the test runs.
 */
describe('the workbenches of a department, an inspector and an acceptor in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const watch = new PageWatch();
  let department = { username: '', name: '', token: '' };
  let login: ReturnType<typeof apiOf>['login'];
  let api: ReturnType<typeof apiOf>['get'];
  let inspector = { username: '', street: '' };

  const post = async (token: string, path: string, body: unknown) => {
    const r = await fetch(`${server.base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.ok(r.ok, `${path}: ${r.status} ${await r.clone().text()}`);
    return r.json() as Promise<Record<string, any>>;
  };
  const photo = async (token: string) => (await (await fetch(`${server.base}/api/attachments?filename=site.png`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' }, body: PNG_BYTES })).json() as { id: number }).id;
  /** A report of the inspector's street at its centre, accepted, registered and dispatched to its suggested department. */
  const dispatchedCase = async (description: string) => {
    const street = await api<{ centroid: [number, number] }>(await login('admin'), `/api/territory/nodes/${inspector.street}`);
    const { caseId } = await post(await login(inspector.username), '/api/cases', { source: 'inspector', classCode: '06010', description, location: { lon: street.centroid[0], lat: street.centroid[1] } });
    await post(await login('shouli1'), `/api/cases/${caseId}/actions/accept`, {});
    await post(await login('zhibanzhang1'), `/api/cases/${caseId}/actions/register`, {});
    const suggested = (await api<{ suggestedDepartment: { id: number; code: string; name: string } | null }>(await login('admin'), `/api/cases/${caseId}`)).suggestedDepartment!;
    await post(await login('paiqian1'), `/api/cases/${caseId}/actions/dispatch`, { departmentId: suggested.id });
    return { caseId: caseId as number, department: suggested };
  };

  before(async () => {
    server = await startDemoServer(6);
    ({ login, get: api } = apiOf(server.base));
    browser = await launchBrowser();
    const admin = await login('admin');
    const first = (await api<{ items: { username: string; grants: { territoryCode: string }[] }[] }>(admin, '/api/users?role=inspector&limit=1')).items[0]!;
    inspector = { username: first.username, street: first.grants[0]!.territoryCode };
    const { department: d } = await dispatchedCase('路边暴露垃圾（工作台测试）');
    const username = `bm-${d.code.toLowerCase()}`;
    department = { username, name: d.name, token: await login(username) };
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    page = watch.watch(await ctx.newPage());
    await signInPage(page, server.base, department.username);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the workbench shows each state of the department\'s queue with the server\'s counts; a tile filters the list', async () => {
    await page.getByRole('link', { name: /案件办理/ }).click();
    const tiles = page.getByRole('group', { name: '工作台' });
    await tiles.getByRole('button').first().waitFor();
    const summary = await api<Summary>(department.token, '/api/cases/summary?state=pending_handle,handling,suspended');
    const labels = (await tiles.getByRole('button').allInnerTexts()).map((s) => s.split('\n')[0]!.trim());
    assert.deepEqual(labels, ['待签收', '处置中'], 'the department acts in these states (the workflow table)');
    for (const label of labels) {
      const counted = summary.items.find((i) => i.stateLabel === label);
      const tile = tiles.getByRole('button', { name: new RegExp(label) });
      await tile.locator('strong').filter({ hasText: new RegExp(`^${(counted?.total ?? 0).toLocaleString('zh-CN')}$`) }).waitFor();
      if (counted && counted.red > 0) assert.match(await tile.innerText(), new RegExp(`红灯 ${counted.red}`));
    }
    // The busiest tile filters the list to its state.
    const busiest = summary.items.filter((i) => labels.includes(i.stateLabel)).sort((a, b) => b.total - a.total)[0]!;
    const tile = tiles.getByRole('button', { name: new RegExp(busiest.stateLabel) });
    await tile.click();
    assert.equal(await tile.getAttribute('aria-pressed'), 'true');
    await page.locator('tbody tr').first().waitFor();
    await page.waitForFunction((label) => Array.from((globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document.querySelectorAll('tbody tr td:nth-child(5)')).every((td) => td.textContent === label), busiest.stateLabel);
    const states = await page.locator('tbody tr td:nth-child(5)').allInnerTexts();
    assert.ok(states.length > 0 && states.every((x) => x === busiest.stateLabel), `only ${busiest.stateLabel}: ${[...new Set(states)].join(',')}`);
    await page.screenshot({ path: join(shotDir, 'workbench-department-zh.png') });
  });

  test('the department report marks the department\'s own row, follows the chosen half-month and downloads as XLSX', async () => {
    await page.getByRole('link', { name: /部门通报/ }).click();
    const table = page.getByRole('table', { name: '部门排名' });
    await table.waitFor();
    const own = table.locator('tr[aria-current="true"]');
    assert.equal(await own.count(), 1);
    assert.match(await own.innerText(), new RegExp(department.name));
    await page.getByRole('heading', { name: /专业部门案件处置情况月度?通报/ }).waitFor();

    const bj = new Date(Date.now() + 8 * 3_600_000);
    const last = new Date(Date.UTC(bj.getUTCFullYear(), bj.getUTCMonth() - 1, 1));
    const code = `${last.getUTCFullYear()}-${String(last.getUTCMonth() + 1).padStart(2, '0')}-H1`;
    await page.getByLabel('通报期').selectOption(code);
    await page.getByRole('heading', { name: /上半月/ }).waitFor();
    type Report = { rows: { department: { id: number; name: string }; dispatched: number; onTimeHandlingRate: { text: string } }[]; overdueTotal: number };
    const report = await api<Report>(department.token, `/api/reports/departments?period=${code}`);
    const mine = report.rows.find((r) => r.department.name === department.name)!;
    const cells = await table.locator('tr[aria-current="true"] td').allInnerTexts();
    assert.equal(cells[3], mine.dispatched.toLocaleString('zh-CN'));
    assert.equal(cells[12], mine.onTimeHandlingRate.text);
    // The overdue cases: the city's total in the heading; "only mine" asks the server for the department's own.
    await page.getByRole('heading', { name: `超时案件（${report.overdueTotal.toLocaleString('zh-CN')} 件）` }).waitFor();
    const ownOverdue = await api<Report>(department.token, `/api/reports/departments?period=${code}&overdueDepartments=${mine.department.id}`);
    await page.getByLabel('只看本部门').check();
    await page.getByRole('heading', { name: `超时案件（${ownOverdue.overdueTotal.toLocaleString('zh-CN')} 件）` }).waitFor();
    await page.getByLabel('只看本部门').uncheck();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'XLSX' }).click()]);
    const file = await download.path();
    assert.equal(readFileSync(file).subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file');
    assert.match(download.suggestedFilename(), new RegExp(`${code}\\.xlsx$`));
    await page.screenshot({ path: join(shotDir, 'department-report-zh.png') });
  });

  test('an inspector works a check task with no network: the task list comes from the phone, the action waits in the outbox and is taken once when back online', async () => {
    // A case of the inspector's street handled by its department and waiting for the inspector's check.
    const admin = await login('admin');
    const username = inspector.username;
    const street = await api<{ centroid: [number, number] }>(admin, `/api/territory/nodes/${inspector.street}`);
    const { caseId, department: d } = await dispatchedCase('人行道暴露垃圾一堆（核查任务测试）');
    const dept = await login(`bm-${d.code.toLowerCase()}`);
    await post(dept, `/api/cases/${caseId}/actions/sign`, {});
    await post(dept, `/api/cases/${caseId}/actions/feedback`, { note: '已清运', attachmentIds: [await photo(dept)] });
    const task = await api<{ id: number; code: string; state: string }>(admin, `/api/cases/${caseId}`);
    assert.equal(task.state, 'pending_check');
    const [longitude, latitude] = street.centroid;
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', geolocation: { longitude, latitude }, permissions: ['geolocation'] });
    const p = watch.watch(await ctx.newPage());
    try {
      await signInPage(p, server.base, username);
      await p.goto(`${server.base}/#/inspector`);
      await p.evaluate('navigator.serviceWorker.ready.then(() => true)');
      await p.reload();
      const tasks = p.getByRole('list', { name: '核实与核查任务' });
      await tasks.getByText(task.code).waitFor();
      // The patrol map: the street's grids, the tasks, and the grid the phone is in (the server agrees).
      const grids = await api<{ total: number }>(admin, `/api/territory/nodes?within=${inspector.street}&level=grid&limit=1`);
      const located = await api<{ grid: { code: string } | null }>(admin, `/api/territory/locate?lon=${longitude}&lat=${latitude}`);
      await p.getByRole('button', { name: /显示巡查地图/ }).click();
      await p.locator(`.patrol-map[data-grids="${grids.total}"] canvas`).waitFor();
      await p.getByTestId('patrol-where').filter({ hasText: located.grid ? `（${located.grid.code}）` : '不在您的责任网格内' }).waitFor();
      await p.getByRole('button', { name: /收起巡查地图/ }).click();

      await ctx.setOffline(true);
      await p.reload();
      await p.getByTestId('tasks-cached').waitFor();
      await p.getByRole('button', { name: /显示巡查地图/ }).click();
      await p.locator(`.patrol-map[data-grids="${grids.total}"] canvas`).waitFor();
      const item = tasks.locator('li', { hasText: task.code });
      // The workflow's inspector actions for a case awaiting its check, offered offline too.
      assert.deepEqual(await item.getByRole('button').allInnerTexts(), ['核查通过', '核查不通过(返工)']);
      await item.getByRole('button', { name: '核查不通过(返工)' }).click();
      const fail = item.getByRole('form', { name: '核查不通过(返工)' });
      await fail.getByRole('button', { name: '确定' }).click();
      await fail.getByRole('alert').filter({ hasText: '请填写原因' }).waitFor();
      await fail.getByRole('button', { name: '取消' }).click();
      await item.getByRole('button', { name: '核查通过' }).click();
      const pass = item.getByRole('form', { name: '核查通过' });
      await pass.getByLabel('现场说明').fill('现场复核：已清理完毕');
      await pass.getByLabel('现场照片').setInputFiles(PNG_FILE);
      await pass.getByRole('button', { name: '确定' }).click();
      await p.getByTestId('outbox-count').filter({ hasText: '1' }).waitFor();
      await item.getByText('待同步：核查通过').waitFor();
      await p.screenshot({ path: join(shotDir, 'inspector-task-offline-zh.png'), fullPage: true });
      assert.equal((await api<{ state: string }>(admin, `/api/cases/${task.id}`)).state, 'pending_check', 'nothing reached the server while offline');

      await ctx.setOffline(false);
      await p.getByTestId('outbox-count').filter({ hasText: '0' }).waitFor({ timeout: 20_000 });
      await p.getByRole('status').filter({ hasText: '已发送 1 条离线记录' }).waitFor();
      assert.equal((await api<{ state: string }>(admin, `/api/cases/${task.id}`)).state, 'pending_close');
      const events = (await api<{ items: { action: string; data: Record<string, unknown> | null; attachments: unknown[] }[] }>(admin, `/api/cases/${task.id}/events`)).items.filter((e) => e.action === 'check_pass');
      assert.equal(events.length, 1, 'taken exactly once');
      assert.equal(events[0]!.attachments.length, 1, 'with the site photo');
      await tasks.getByText(task.code).waitFor({ state: 'detached' });
    } finally {
      await ctx.close();
    }
  });

  test('an acceptor registers a 12345 call: the caller kept privately, the work-order number once only', async () => {
    const admin = await login('admin');
    const street = await api<{ centroid: [number, number] }>(admin, `/api/territory/nodes/${inspector.street}`);
    const [longitude, latitude] = street.centroid;
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', geolocation: { longitude, latitude }, permissions: ['geolocation'] });
    const p = watch.watch(await ctx.newPage());
    const order = `GD${Date.now()}`;
    try {
      await signInPage(p, server.base, 'shouli1');
      await p.getByRole('link', { name: /案件办理/ }).click();
      await p.getByRole('link', { name: '登记案件' }).click();
      const form = p.getByRole('form', { name: '登记案件' });
      const fill = async () => {
        await form.getByLabel('案件来源').selectOption({ label: '12345热线' });
        await form.getByLabel('问题类别').selectOption('06010');
        await form.getByLabel('问题描述').fill('市民来电：小区门口垃圾堆放多日无人清运');
        await form.getByLabel('地址描述').fill('人民路12号门口');
        await form.getByRole('button', { name: '使用我的位置' }).click();
        await form.getByText(/^问题位置 \d/).waitFor();
        await form.getByLabel('来源编号').fill(order);
        await form.getByLabel('来电人姓名').fill('王女士');
        await form.getByLabel('联系电话（仅用于回访）').fill('13800000000');
      };
      await form.getByRole('button', { name: '登记' }).click();
      await form.getByRole('alert').filter({ hasText: '请填写来源' }).waitFor();
      await fill();
      await form.getByRole('button', { name: '登记' }).click();
      const done = p.getByRole('status').filter({ hasText: '已登记案件' });
      await done.waitFor();
      const code = (await done.locator('.mono').innerText()).trim();
      const found = (await api<{ items: { id: number; source: string; state: string }[] }>(admin, `/api/cases?q=${code}`)).items;
      assert.equal(found.length, 1);
      assert.equal(found[0]!.source, 'hotline_12345');
      assert.equal(found[0]!.state, 'pending_verify', 'a public report is verified on site first');
      const detail = await api<{ reporter: { name: string; phone: string } | null }>(admin, `/api/cases/${found[0]!.id}`);
      assert.deepEqual(detail.reporter && [detail.reporter.name, detail.reporter.phone], ['王女士', '13800000000']);
      const open = await (await fetch(`${server.base}/api/public/cases/${code}`)).text();
      assert.ok(!open.includes('王女士') && !open.includes('13800000000'), 'the caller is not public');
      // The same work order again is refused, naming the field, and nothing is added.
      await fill();
      await form.getByRole('button', { name: '登记' }).click();
      await form.getByRole('alert').filter({ hasText: '该外部编号已经导入过' }).filter({ hasText: 'externalRef' }).waitFor();
      assert.equal((await api<{ total: number }>(admin, `/api/cases?source=hotline_12345&q=${encodeURIComponent('小区门口垃圾堆放多日')}`)).total, 1);
    } finally {
      await ctx.close();
    }
  });

  test('no page error and no server error happened on the way', () => watch.assertClean());
});
