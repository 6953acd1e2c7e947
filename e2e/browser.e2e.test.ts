import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemoServer, type RunningServer } from './support/serve.ts';
import { launchBrowser, PageWatch, PNG_FILE, shotDir, signInPage } from './support/browser.ts';

describe('the web app in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const watch = new PageWatch();
  let portalCode = '';

  before(async () => {
    server = await startDemoServer(1);
    browser = await launchBrowser();
    page = watch.watch(await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' }));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the administrator signs in (Chinese by default, a wrong password refused) and sees every section', async () => {
    await page.goto(server.base);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /登录失败/);

    await page.getByLabel('密码').fill('demo12345');
    await page.getByRole('button', { name: '登录' }).click();
    const nav = page.getByRole('navigation', { name: '主导航' });
    await nav.waitFor();
    const items = await nav.getByRole('link').allInnerTexts();
    assert.deepEqual(items.map((s) => s.replace(/^\S+\s*/, '').trim()), ['领导驾驶舱', '案件办理', '案件地图', '部门通报', '指挥大屏', '综合考评', '暗访轮次', '考评标准', '考评方案', '重点任务', '我的重点任务', '累计加减分', '信用积分', '绩效评价', '辖区网格', '部件事项目录', '立结案标准', '工作日历', '部门管理', '用户', '接口密钥', '运行维护']);
  });

  test('the territory page draws the district polygons on the map, and they answer hover and click', async () => {
    await page.getByRole('link', { name: /辖区网格/ }).click();
    const canvas = page.locator('.map canvas.maplibregl-canvas');
    await canvas.waitFor({ timeout: 30_000 });
    // The map fills its pane (maplibre's own CSS once collapsed it to zero height).
    const wrap = await page.locator('.map-wrap').boundingBox();
    const box = await canvas.boundingBox();
    assert.ok(wrap && box && box.height >= wrap.height - 1 && box.height > 400, `map ${JSON.stringify(box)} in ${JSON.stringify(wrap)}`);
    // Hovering the centre hits a rendered district polygon (queryRenderedFeatures): proof it was drawn.
    const tip = page.locator('.map-tip');
    for (let attempt = 0; attempt < 40 && !(await tip.isVisible()); attempt++) {
      await page.mouse.move(box.x + box.width / 2 + (attempt % 2), box.y + box.height / 2);
      await page.waitForTimeout(250);
    }
    const tipText = await tip.innerText();
    const code = tipText.match(/\d{6,}/)?.[0];
    assert.ok(code && code.startsWith('99'), `hover tip: ${tipText}`);
    await page.screenshot({ path: join(shotDir, 'territory-zh.png') });
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator('.detail-pane').filter({ hasText: code }).waitFor();
    assert.match(await page.locator('main').innerText(), new RegExp(code));
  });

  test('the leaders\' dashboard draws the month\'s indicators, the twelve-month trend, the districts and the published ranking with ECharts', async () => {
    await page.getByRole('link', { name: /领导驾驶舱/ }).click();
    await page.locator('.kpi').first().waitFor();
    const kpis = await page.locator('.kpis').innerText();
    assert.match(kpis, /立案数[\s\S]*结案率[\s\S]*%/);
    for (const label of ['近十二个月', '下辖单位按期结案率', '综合考评排名']) await page.getByRole('img', { name: label }).locator('canvas').waitFor({ timeout: 20_000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(shotDir, 'dashboard-zh.png') });
    await page.getByRole('link', { name: /指挥大屏/ }).click();
    await page.locator('.bigscreen .kpi').first().waitFor();
    await page.locator('.bigscreen canvas').first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(shotDir, 'bigscreen-zh.png') });
    await page.goto(`${server.base}/#/cases`);
  });

  test('the case map clusters the open cases of the demo city and switches to a heat map', async () => {
    await page.getByRole('link', { name: /案件地图/ }).click();
    await page.locator('.case-map canvas.maplibregl-canvas').waitFor({ timeout: 30_000 });
    assert.match(await page.getByTestId('map-count').innerText(), /^[\d,]+ 件/);
    // The whole year of the demo history: thousands of cases, summed by the server into cells for the view.
    await page.getByRole('button', { name: '全部案件' }).click();
    await page.getByTestId('map-count').filter({ hasText: /^\d{1,3}(,\d{3})+ 件/ }).waitFor();
    const count = Number((await page.getByTestId('map-count').innerText()).replace(/[^\d]/g, ''));
    assert.ok(count > 1000, String(count));
    // Every case of the demo city is in the first view (the map fits the city), counted by the server as the list counts them.
    const listed = await page.evaluate(async () => {
      const token = sessionStorage.getItem('cityops.token') ?? localStorage.getItem('cityops.token');
      const res = await fetch('/api/cases?limit=1', { headers: token ? { authorization: `Bearer ${token}` } : {} });
      return (await res.json()) as { total: number; totalExact: boolean };
    });
    if (listed.totalExact) assert.equal(count, listed.total);
    // The map says when it has drawn what it was given, in which mode.
    await page.locator(`.case-map[data-rendered-mode="cluster"][data-rendered-cases="${count}"]`).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(shotDir, 'map-clusters-zh.png') });
    await page.getByRole('button', { name: '热力' }).click();
    await page.locator(`.case-map[data-rendered-mode="heat"][data-rendered-cases="${count}"]`).waitFor({ timeout: 30_000 });
    // Zooming in asks again for the smaller view: fewer cases in it, in finer cells. The count is read in the
    // same step that sees it drawn (each new view clears it until its answer is drawn).
    await page.getByRole('button', { name: 'Zoom in' }).click();
    // A function, not a string: the page's content security policy forbids evaluating strings.
    const zoomed = Number(await (await page.waitForFunction(
      (before) => {
        // Run in the page, which has the DOM these Node-typed tests lack: its document typed by hand.
        const { document } = globalThis as unknown as { document: { querySelector(selector: string): { dataset: Record<string, string | undefined> } | null } };
        const v = document.querySelector('.case-map')?.dataset.renderedCases;
        return v !== undefined && v !== before ? v : null;
      },
      String(count), { timeout: 30_000 },
    )).jsonValue());
    assert.ok(zoomed > 0 && zoomed < count, `${zoomed} of ${count} in the zoomed view`);
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await page.locator(`.case-map[data-rendered-mode="heat"][data-rendered-cases="${count}"]`).waitFor({ timeout: 30_000 });
    assert.match(page.url(), /mode=heat/, 'the mode is in the address');
    await page.screenshot({ path: join(shotDir, 'map-heat-zh.png') });
  });

  test('the evaluation results: the months published over the demo history, a ranking, and one district\'s score traced to its findings', async () => {
    await page.getByRole('link', { name: /综合考评/ }).click();
    const runs = page.getByRole('table').first().locator('tbody tr');
    await runs.nth(23).waitFor();
    assert.equal(await runs.count(), 24, 'twelve months of the city ranking its districts, and of a district ranking its streets');
    assert.match(await runs.first().innerText(), /已发布/);
    await runs.first().getByRole('link').click();
    const ranking = page.getByRole('table').first().locator('tbody tr');
    await ranking.nth(1).waitFor();
    const first = await ranking.first().innerText();
    assert.match(first, /^1\s/, first);
    assert.match(await page.locator('main').innerText(), /奖惩兑现清单/);
    await page.screenshot({ path: join(shotDir, 'evaluation-zh.png') });
    await ranking.first().getByRole('link').click();
    await page.getByText('第三方暗访扣分').waitFor();
    assert.match(await page.locator('main').innerText(), /得分溯源[\s\S]*分项得分[\s\S]*综合得分/);
    await page.screenshot({ path: join(shotDir, 'evaluation-trace-zh.png') });
  });

  test('anyone reads the published rankings without signing in', async () => {
    const visitor = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    try {
      watch.watch(visitor);
      await visitor.goto(`${server.base}/#/public/rankings`);
      await visitor.getByRole('heading', { name: '城市管理综合考评 · 公开排名' }).waitFor();
      const rows = visitor.getByRole('table').first().locator('tbody tr');
      await rows.nth(1).waitFor();
      assert.ok((await rows.count()) >= 2);
      assert.ok(!(await visitor.getByLabel('密码').isVisible()), 'no sign-in form on the public page');
      await visitor.screenshot({ path: join(shotDir, 'public-rankings-zh.png') });
    } finally {
      await visitor.close();
    }
  });

  test('a citizen on a phone reports a problem with a photo and a point on the map, then follows it by its number', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    try {
      watch.watch(phone);
      await phone.goto(`${server.base}/#/public/report`);
      await phone.getByRole('heading', { name: '我要举报' }).waitFor();
      await phone.getByLabel('问题类别').selectOption('06010');
      await phone.getByLabel('问题描述').fill('公交站旁有一堆生活垃圾');
      const canvas = phone.locator('.portal-map canvas.maplibregl-canvas');
      await canvas.waitFor({ timeout: 30_000 });
      await phone.waitForTimeout(500);
      const box = (await canvas.boundingBox())!;
      await phone.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await phone.getByText(/^问题位置 \d/).waitFor();
      await phone.getByLabel('现场照片').setInputFiles(PNG_FILE);
      await phone.getByLabel('联系电话（选填）').fill('13700000000');
      await phone.screenshot({ path: join(shotDir, 'portal-report-zh.png'), fullPage: true });
      await phone.getByRole('button', { name: '提交' }).click();
      const code = await phone.getByTestId('report-code').innerText();
      assert.match(code, /^\d{13}$/);
      portalCode = code;
      await phone.getByRole('link', { name: '查询办理进度' }).click();
      await phone.getByText('待核实').waitFor();
      assert.match(await phone.locator('.report-view').innerText(), /暴露垃圾[\s\S]*上报/);
      assert.ok(!(await phone.locator('body').innerText()).includes('13700000000'), 'the phone number is not shown to the public');
      await phone.screenshot({ path: join(shotDir, 'portal-track-zh.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });

  test('the citizen\'s report goes through the workbenches: verified, registered, dispatched, signed, handled, checked and closed', async () => {
    assert.match(portalCode, /^\d{13}$/, 'the portal test made a report');
    const api = async (token: string, path: string) => (await fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<Record<string, any>>;
    const login = async (username: string) => ((await (await fetch(`${server.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo12345' }) })).json()) as { token: string }).token;
    const admin = await login('admin');
    const found = (await api(admin, `/api/cases?q=${portalCode}`)).items[0];
    const caseId = found.id as number;
    const png = PNG_FILE;
    const step = async (username: string, button: string, expectedState: string, fill?: (p: Page) => Promise<void>) => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
      const p = watch.watch(await ctx.newPage());
      try {
        await signInPage(p, server.base, username);
        await p.goto(`${server.base}/#/cases?id=${caseId}`);
        await p.getByRole('button', { name: button, exact: true }).click();
        const form = p.getByRole('form', { name: button });
        await form.waitFor();
        if (fill) await fill(p);
        await form.getByRole('button', { name: '确定' }).click();
        await p.locator('.page .toolbar strong', { hasText: expectedState }).waitFor();
        if (username === 'admin') await p.screenshot({ path: join(shotDir, 'case-zh.png') });
        return p;
      } finally {
        await ctx.close();
      }
    };
    const inspector = `jdy${found.territory.street.code}`;
    await step(inspector, '核实属实', '待立案', async (p) => { await p.getByLabel(/照片/).setInputFiles(png); });
    await step('zhibanzhang1', '立案', '待派遣');
    await step('paiqian1', '派遣', '待签收');
    const department = (await api(admin, `/api/cases/${caseId}`)).department as { code: string; name: string };
    assert.ok(department, 'dispatched to the suggested department');
    const departmentUser = `bm-${department.code.toLowerCase()}`;
    await step(departmentUser, '签收', '处置中');
    await step(departmentUser, '处理反馈', '待核查', async (p) => { await p.getByLabel(/照片/).setInputFiles(png); });
    await step(inspector, '核查通过', '待结案');
    await step('zhibanzhang1', '结案', '已结案');
    const closed = await api(admin, `/api/cases/${caseId}`);
    assert.equal(closed.state, 'closed');
    const events = (await api(admin, `/api/cases/${caseId}/events`)).items as { action: string }[];
    assert.deepEqual(events.map((e) => e.action), ['report', 'verify_confirm', 'register', 'dispatch', 'sign', 'feedback', 'check_pass', 'close']);
    // The staff page of the closed case, with its timeline and photos.
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const p = await ctx.newPage();
    await signInPage(p, server.base, 'admin');
    await p.goto(`${server.base}/#/cases?id=${caseId}`);
    await p.locator('.timeline li').nth(7).waitFor();
    await p.locator('.timeline img.thumb').first().waitFor();
    await p.locator('.case-layout .portal-map canvas.maplibregl-canvas').waitFor({ timeout: 30_000 });
    assert.match(await p.locator('.timeline').innerText(), /核实属实 → 待立案[\s\S]*结案 → 已结案/);
    await p.waitForTimeout(500);
    await p.screenshot({ path: join(shotDir, 'case-closed-zh.png') });
    await ctx.close();
  });

  test('an inspector reports on patrol with no network: the app opens offline, keeps the report on the phone and sends it once when the network is back', async () => {
    const api = async (token: string, path: string) => (await fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<Record<string, any>>;
    const admin = ((await (await fetch(`${server.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'demo12345' }) })).json()) as { token: string }).token;
    const inspector = (await api(admin, '/api/users?role=inspector&limit=1')).items[0] as { username: string; grants: { territoryCode: string }[] };
    const street = await api(admin, `/api/territory/nodes/${inspector.grants[0]!.territoryCode}`);
    const [longitude, latitude] = street.centroid as [number, number];
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', geolocation: { longitude, latitude }, permissions: ['geolocation'] });
    const p = watch.watch(await ctx.newPage());
    const description = `巡查发现垃圾堆放（离线上报 ${Date.now()}）`;
    try {
      await signInPage(p, server.base, inspector.username);
      await p.goto(`${server.base}/#/inspector`);
      await p.evaluate('navigator.serviceWorker.ready.then(() => true)');
      // Once more online, now through the service worker, which keeps the app and the form's data.
      await p.reload();
      await p.getByLabel('问题类别').locator('option[value="06010"]').waitFor({ state: 'attached' });
      await ctx.setOffline(true);
      await p.reload();
      await p.getByTestId('network').filter({ hasText: '离线' }).waitFor();
      await p.getByLabel('问题类别').selectOption('06010');
      await p.getByLabel('问题描述').fill(description);
      await p.getByRole('button', { name: '使用我的位置' }).click();
      await p.getByText(/^问题位置 \d/).waitFor();
      await p.getByLabel('现场照片').setInputFiles(PNG_FILE);
      await p.getByRole('form', { name: '上报' }).getByRole('button', { name: '上报' }).click();
      await p.getByTestId('outbox-count').filter({ hasText: '1' }).waitFor();
      await p.screenshot({ path: join(shotDir, 'inspector-offline-zh.png'), fullPage: true });
      assert.equal((await api(admin, `/api/cases?q=${encodeURIComponent(description)}`)).total, 0, 'nothing reached the server while offline');
      await ctx.setOffline(false);
      await p.getByTestId('outbox-count').filter({ hasText: '0' }).waitFor({ timeout: 20_000 });
      await p.getByRole('status').filter({ hasText: '已发送 1 条离线记录' }).waitFor();
      const found = await api(admin, `/api/cases?q=${encodeURIComponent(description)}`);
      assert.equal(found.total, 1, 'sent exactly once');
      assert.equal(found.items[0].source, 'inspector');
      const events = (await api(admin, `/api/cases/${found.items[0].id}/events`)).items as { attachments: unknown[] }[];
      assert.equal(events[0]!.attachments.length, 1, 'with its photo');
    } finally {
      await ctx.close();
    }
  });

  test('the administrator creates a staff account with its role and scope; a wrong scope is refused, naming the field', async () => {
    await page.goto(`${server.base}/#/users`);
    await page.getByRole('button', { name: '新建用户' }).click();
    const form = page.getByRole('form', { name: '新建用户' });
    await form.getByLabel('用户名').fill('jdy_e2e');
    await form.getByLabel('姓名').fill('测试监督员');
    await form.getByLabel('初始密码').fill('patrol-2026');
    await form.getByLabel('角色').selectOption('inspector');
    await form.getByLabel('辖区编码').fill('000000');
    await form.getByRole('button', { name: '确定' }).click();
    await form.getByRole('alert').waitFor();
    assert.match(await form.getByRole('alert').innerText(), /000000/);
    const city = await page.evaluate('fetch("/api/public/territory").then((r) => r.json()).then((t) => t.features.find((f) => f.properties.level === "city").properties.code)') as string;
    await form.getByLabel('辖区编码').fill(city);
    await form.getByRole('button', { name: '确定' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByRole('searchbox').fill('jdy_e2e');
    await page.getByRole('cell', { name: 'jdy_e2e' }).waitFor();
    assert.match(await page.getByRole('row', { name: /jdy_e2e/ }).innerText(), /监督员/);
  });

  test('the administrator sees the scheduled jobs with their last runs (运行维护)', async () => {
    await page.goto(`${server.base}/#/system/jobs`);
    const table = page.getByRole('table', { name: '定时任务' });
    await table.locator('tbody tr').nth(2).waitFor();
    // The server's scheduler ticks five seconds after start: by now every job has run once.
    for (let attempt = 0; attempt < 20 && (await table.locator('tbody tr', { hasText: '尚未运行' }).count()) > 0; attempt++) {
      await page.waitForTimeout(500);
      await page.getByRole('button', { name: '刷新' }).click();
    }
    assert.deepEqual((await table.locator('tbody tr td:first-child').allInnerTexts()).map((x) => x.split(' ')[0]), ['保存已结束统计期的计数', '清理已结束的登录会话', '清理过期的重复提交记录', '审计日志封存(防篡改)', '重点任务节点逾期预警', '责任区累计加减分与信用积分记录']);
    assert.match(await table.locator('tbody tr').first().innerText(), /"half_month":"\d{4}-\d{2}-H[12]","month":"\d{4}-\d{2}"/);
    assert.equal(await table.locator('.badge.warn').count(), 0, 'no job failed');
  });

  test('a signed-in citizen finds their own reports (我的上报) and the way to report', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: 'zh-CN' });
    const p = watch.watch(await ctx.newPage());
    try {
      await p.goto(server.base);
      await p.getByLabel('用户名').fill('public1');
      await p.getByLabel('密码').fill('demo12345');
      await p.getByRole('button', { name: '登录' }).click();
      const nav = p.getByRole('navigation', { name: '主导航' });
      await nav.waitFor();
      assert.deepEqual((await nav.getByRole('link').allInnerTexts()).map((x) => x.replace(/^\S+\s*/, '').trim()), ['我的上报']);
      await p.getByRole('heading', { name: '我的上报' }).waitFor();
      await p.locator('main table, main .empty').first().waitFor();
      assert.equal(await p.getByRole('link', { name: '我要举报' }).getAttribute('href'), '#/public/report');
    } finally {
      await ctx.close();
    }
  });

  test('switching to English relabels the app without a reload', async () => {
    await page.getByRole('group', { name: '语言' }).getByRole('button', { name: /EN|English/ }).click();
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.waitFor();
    await page.getByRole('link', { name: /Catalog|catalog/ }).first().click();
    // The table draws before its rows arrive; wait for the catalog page to fill it.
    await page.getByRole('table').first().locator('tbody tr').nth(5).waitFor();
    const rows = await page.getByRole('table').first().locator('tbody tr').count();
    assert.ok(rows > 5, `catalog rows ${rows}`);
    await page.screenshot({ path: join(shotDir, 'catalog-en.png') });
  });

  test('no page error and no server error happened on the way', () => watch.assertClean());
});

