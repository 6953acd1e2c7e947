import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startDemoServer, type RunningServer } from './support/serve.ts';
import { launchBrowser, PageWatch, PNG_BYTES as PNG, shotDir } from './support/browser.ts';

type Json = Record<string, any>;

describe('the evaluation office\'s editors and findings review in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let token = '';
  const watch = new PageWatch();

  const login = async (username: string) => ((await (await fetch(`${server.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo12345' }) })).json()) as { token: string }).token;
  const api = async (path: string, as = token, init: RequestInit = {}): Promise<Json> => {
    const res = await fetch(`${server.base}${path}`, { ...init, headers: { authorization: `Bearer ${as}`, ...(init.headers ?? {}) } });
    const body = await res.json() as Json;
    if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };

  before(async () => {
    server = await startDemoServer(4);
    token = await login('kpb');
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    page = await ctx.newPage();
    watch.watch(page);
    await page.goto(server.base);
    await page.getByLabel('用户名').fill('kpb');
    await page.getByLabel('密码').fill('demo12345');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the office edits the checklist standard: a deduction changed and an item added are saved as a new version; a bad cap is refused at its field and nothing is saved', async () => {
    const nav = page.getByRole('navigation', { name: '主导航' });
    assert.deepEqual((await nav.getByRole('link').allInnerTexts()).map((s) => s.replace(/^\S+\s*/, '').trim()).filter((s) => /考评|暗访/.test(s)), ['综合考评', '暗访轮次', '考评标准', '考评方案']);
    await nav.getByRole('link', { name: /考评标准/ }).click();
    const form = page.getByRole('form', { name: '考评标准编辑' });
    await form.getByLabel('ENV01 每处扣分').waitFor();
    assert.equal(await form.getByLabel('ENV01 每处扣分').inputValue(), '0.5');
    for (const area of ['环境卫生', '市容市貌', '市政设施', '园林绿化', '街面秩序', '其他']) await page.getByRole('heading', { name: new RegExp(`^${area}`) }).waitFor();
    // The demo's rounds stored the shipped standard as its first version.
    const before = await api('/api/evaluation/checklists/default');
    const next = before.version + 1;

    await form.getByLabel('ENV01 每处扣分').fill('0.8');
    await form.getByRole('button', { name: '添加“环境卫生”考评项目' }).click();
    await form.getByLabel('新增项目 编码').fill('ENV06');
    await form.getByLabel('ENV06 考评项目').fill('焚烧垃圾、落叶');
    await form.getByLabel('ENV06 英文名称').fill('Burning waste or leaves');
    await form.getByLabel('ENV06 每处扣分').fill('1');
    await form.getByLabel('ENV06 单项最高扣分').fill('3');
    await form.getByLabel('ENV06 整改案件小类').fill('06010');
    await form.getByLabel('修订说明').fill('提高暴露垃圾扣分，新增焚烧垃圾');
    await form.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByText(`已保存为第 ${next} 版。`).waitFor();

    const saved = await api('/api/evaluation/checklists/default');
    assert.equal(saved.version, next);
    assert.equal(saved.reason, '提高暴露垃圾扣分，新增焚烧垃圾');
    const items = saved.definition.items as Json[];
    assert.equal(items.length, before.definition.items.length + 1);
    assert.equal(items.find((i) => i.code === 'ENV01')!.deduction, 0.8);
    assert.deepEqual(items.find((i) => i.code === 'ENV06'), { code: 'ENV06', area: 'sanitation', zh: '焚烧垃圾、落叶', en: 'Burning waste or leaves', deduction: 1, cap: 3, evidence: ['photo', 'gps'], classCode: '06010' });
    // The new item shows under its area after the reload.
    await page.getByRole('region', { name: '环境卫生' }).getByLabel('ENV06 每处扣分').waitFor();

    // A cap below one deduction: refused, the field named at the input and in the panel, nothing stored.
    await form.getByLabel('ENV02 单项最高扣分').fill('0.5');
    await form.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByRole('alert').waitFor();
    const index = items.findIndex((i) => i.code === 'ENV02');
    assert.match(await page.getByRole('alert').innerText(), new RegExp(`standard\\.items\\[${index}\\]\\.cap`));
    assert.equal(await form.getByLabel('ENV02 单项最高扣分').getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator(`[data-field="standard.items[${index}].cap"]`).innerText(), /at least one deduction/);
    const after = await api('/api/evaluation/checklists/default');
    assert.equal(after.version, next, 'no version was added');
    assert.equal(after.definition.items[index].cap, 5);

    // The versions: the earlier one stays readable.
    const history = page.getByRole('table', { name: '历史版本' });
    assert.match(await history.innerText(), new RegExp(`v${next}[\\s\\S]*提高暴露垃圾扣分[\\s\\S]*v${before.version}`));
    await history.getByRole('row', { name: new RegExp(`^v${before.version}\\s`) }).getByRole('link', { name: '查看' }).click();
    await page.getByText(`正在查看历史版本(第 ${before.version} 版)`).waitFor();
    assert.equal(await form.getByLabel('ENV01 每处扣分').inputValue(), '0.5');
    assert.equal(await form.getByLabel('ENV06 每处扣分').count(), 0);
    await page.screenshot({ path: join(shotDir, 'evaluation-checklist-zh.png'), fullPage: true });
  });

  test('the office edits this year\'s scheme: a weight pair that still adds to 100 and a ladder amount in yuan are saved as the new version; a weight that breaks the sum is refused naming the field', async () => {
    const before = await api('/api/evaluation/schemes/city');
    const year = before.definition.year as number;
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: /考评方案/ }).click();
    const form = page.getByRole('form', { name: '考评方案编辑' });
    await form.getByLabel('第三方暗访 权重').waitFor();
    await page.getByText(`当前显示第 ${before.version} 版(${year} 年度)`).waitFor();
    assert.match(await page.getByTestId('scheme-units').innerText(), /被考评单位（?\(?\d+/);
    assert.equal(await form.getByLabel('奖励 第 2 名').inputValue(), '500,000');

    await form.getByLabel('第三方暗访 权重').fill('55');
    await form.getByLabel('专项工作 权重').fill('15');
    assert.equal(await page.getByTestId('weight-total').innerText(), '100');
    await form.getByLabel('奖励 第 2 名').fill('450,000.00');
    await form.getByLabel('修订说明').fill('暗访权重调整为55，第二名奖励调整');
    await form.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByText(`已保存为第 ${before.version + 1} 版(${year} 年度)。`).waitFor();

    const saved = await api('/api/evaluation/schemes/city');
    assert.equal(saved.version, before.version + 1);
    assert.equal(saved.reason, '暗访权重调整为55，第二名奖励调整');
    assert.deepEqual(saved.definition.components.map((c: Json) => [c.code, c.weight]), [['inspection', 55], ['case_performance', 20], ['satisfaction', 10], ['special_tasks', 15]]);
    assert.deepEqual(saved.definition.ladder, { rewards: [1_000_000, 450_000, 300_000], penalties: before.definition.ladder.penalties });
    // Everything not edited is kept as it was.
    const { components: _c, ladder: _l, ...rest } = saved.definition;
    const { components: _bc, ladder: _bl, ...restBefore } = before.definition;
    assert.deepEqual(rest, restBefore);

    // A weight that breaks the sum: refused, the field named, nothing stored. The form first takes the saved version
    // back from the server (which resets the draft), so the edit waits for it.
    await page.getByText(`当前显示第 ${before.version + 1} 版(${year} 年度)`).waitFor();
    await form.getByLabel('群众满意率 权重').fill('12');
    assert.equal(await page.getByTestId('weight-total').innerText(), '102');
    await form.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /scheme\.components[\s\S]*100/);
    assert.match(await page.locator('[data-field="scheme.components"]').innerText(), /must add up to 100, not 102/);
    // A ladder amount with fen: the scheme pays whole yuan, refused at its place.
    await form.getByLabel('群众满意率 权重').fill('10');
    await form.getByLabel('处罚 倒数第 2 名').fill('499999.5');
    await form.getByRole('button', { name: '保存为新版本' }).click();
    await page.locator('[data-field="scheme.ladder.penalties[1]"]').waitFor();
    assert.equal(await form.getByLabel('处罚 倒数第 2 名').getAttribute('aria-invalid'), 'true');
    assert.equal((await api('/api/evaluation/schemes/city')).version, saved.version, 'no version was added');

    // Next year's scheme, drafted from this year's: a version of its own year; this year's stays what its months use.
    await form.getByLabel('处罚 倒数第 2 名').fill('500,000');
    await page.getByRole('button', { name: `起草 ${year + 1} 年度方案` }).click();
    assert.equal(await form.getByLabel('年度', { exact: true }).inputValue(), String(year + 1));
    await form.getByLabel('修订说明').fill(`${year + 1}年度方案`);
    await form.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByText(`已保存为第 ${saved.version + 1} 版(${year + 1} 年度)。`).waitFor();
    const nextYear = await api('/api/evaluation/schemes/city');
    assert.deepEqual([nextYear.version, nextYear.definition.year, nextYear.definition.name], [saved.version + 1, year + 1, String(saved.definition.name).replace(String(year), String(year + 1))]);
    assert.deepEqual(nextYear.definition.components, saved.definition.components);
    assert.deepEqual(nextYear.definition.ladder, saved.definition.ladder);
    assert.deepEqual((await api(`/api/evaluation/schemes/city?version=${saved.version}`)).definition, saved.definition);

    // The earlier version stays readable from the history.
    const history = page.getByRole('table', { name: '历史版本' });
    await history.getByRole('row', { name: new RegExp(`^v${before.version}\\s`) }).getByRole('link', { name: '查看' }).click();
    await page.getByText(`正在查看历史版本(第 ${before.version} 版)`).waitFor();
    assert.equal(await form.getByLabel('第三方暗访 权重').inputValue(), '60');
    await page.screenshot({ path: join(shotDir, 'evaluation-scheme-zh.png'), fullPage: true });
  });

  test('the office reviews the findings of this month\'s round (photo, GPS, deduction by the new standard) and of a past round, filters them, and opens a finding\'s rectification case', async () => {
    const bj = new Date(Date.now() + 8 * 3_600_000);
    const month = `${bj.getUTCFullYear()}-${String(bj.getUTCMonth() + 1).padStart(2, '0')}`;
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: /暗访轮次/ }).click();
    await page.getByLabel('考评月份').fill(month);
    await page.getByLabel('随机种子').fill('4711');
    await page.getByRole('button', { name: '开启本月暗访（双随机抽取）' }).click();
    await page.getByText(/随机种子 4711/).waitFor();
    const roundId = Number(new URLSearchParams(page.url().split('?')[1]).get('round'));
    assert.ok(roundId > 0, page.url());

    // An evaluator records a finding with a photo at one of the points drawn for them (their phone's part, through the API).
    const evaluator = await login('dsf1');
    const mine = (await api('/api/evaluation/my-points', evaluator)).items.find((p: Json) => p.round_id === roundId);
    assert.ok(mine, 'a point drawn for dsf1');
    const photo = await api('/api/attachments?filename=site.png', evaluator, { method: 'POST', headers: { 'content-type': 'image/png' }, body: PNG });
    const foundAt = `${bj.toISOString().slice(0, 10)} ${bj.toISOString().slice(11, 16)}`;
    const recorded = await api(`/api/evaluation/rounds/${roundId}/findings`, evaluator, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
      pointId: mine.id, itemCode: 'ENV01', occurrences: 2, location: { lon: mine.centroid_lon, lat: mine.centroid_lat }, foundAt, attachmentId: photo.id, note: '路口垃圾未清运',
    }) });
    assert.ok(recorded.caseId > 0);

    await page.reload();
    const review = page.getByRole('region', { name: '问题审核' });
    const rows = review.getByRole('table', { name: '问题审核' }).locator('tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    const row = await rows.first().innerText();
    assert.match(row, new RegExp(`${mine.unit_name}[\\s\\S]*${mine.grid_code} #${mine.seq}[\\s\\S]*ENV01 暴露垃圾[\\s\\S]*路口垃圾未清运[\\s\\S]*2[\\s\\S]*−1\\.6`), row);
    assert.match(row, new RegExp(`${mine.centroid_lon.toFixed(6)}, ${mine.centroid_lat.toFixed(6)}`));
    assert.match(row, /待受理/);
    // The photo thumbnail is the uploaded image, fetched with the session.
    const img = rows.first().getByRole('img', { name: `问题 ${recorded.findingId} 的现场照片` });
    await img.waitFor();
    const loaded = async () => img.evaluate((el) => { const i = el as unknown as { complete: boolean; naturalWidth: number }; return i.complete && i.naturalWidth > 0; });
    for (let i = 0; i < 40 && !(await loaded()); i++) await page.waitForTimeout(100);
    assert.ok(await loaded(), 'the photo thumbnail shows the uploaded image');
    await page.screenshot({ path: join(shotDir, 'evaluation-review-zh.png'), fullPage: true });

    // A past round of the demo: its findings (the month's third-party cases), filtered by unit and by item.
    const rounds = (await api('/api/evaluation/rounds')).items as Json[];
    const past = rounds.find((r) => r.id !== roundId && r.findings > 0)!;
    assert.ok(past, 'the demo history has rounds with findings');
    await page.getByRole('link', { name: '全部轮次' }).click();
    await page.getByRole('table').first().getByRole('link', { name: String(past.id), exact: true }).click();
    await page.getByText(new RegExp(`暗访轮次 #${past.id} · ${past.period}`)).waitFor();
    const detail = await api(`/api/evaluation/rounds/${past.id}`);
    await review.getByText(`(${past.findings}/${past.findings})`).waitFor();
    const firstFinding = detail.findings[0] as Json;
    await review.getByLabel('单位').selectOption(firstFinding.unit);
    const forUnit = (detail.findings as Json[]).filter((f) => f.unit === firstFinding.unit);
    await review.getByText(`(${forUnit.length}/${past.findings})`).waitFor();
    assert.equal(await rows.count(), forUnit.length);
    for (const text of await rows.allInnerTexts()) assert.ok(text.includes(firstFinding.unitName), text);
    await review.getByLabel('考评项目').selectOption(firstFinding.itemCode);
    const forBoth = forUnit.filter((f) => f.itemCode === firstFinding.itemCode);
    await review.getByText(`(${forBoth.length}/${past.findings})`).waitFor();
    assert.equal(await rows.count(), forBoth.length);

    // The rectification case a finding opened, on the case page.
    const kase = forBoth[0]!.case as Json;
    assert.ok(kase, 'the demo findings are third-party cases');
    assert.match(await rows.first().innerText(), new RegExp(`${kase.code}[\\s\\S]*${kase.stateName.zh}`));
    await rows.first().getByRole('link', { name: kase.code }).click();
    await page.waitForURL(new RegExp(`#/cases\\?id=${kase.id}$`));
    await page.getByText(kase.code).first().waitFor();
    const caseDetail = await api(`/api/cases/${kase.id}`);
    assert.equal(caseDetail.source, 'third_party');
  });

  test('no page error and no server error happened', () => watch.assertClean());
});
