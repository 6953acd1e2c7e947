import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '../config.ts';
import { pageWithConfig, registerWebApp } from './web-app.ts';

describe('the web app as served: the installation\'s settings in the page', () => {
  let app: FastifyInstance;
  let dist: string;
  before(async () => {
    dist = mkdtempSync(join(tmpdir(), 'cityops-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><html><head><title>CityOps</title></head><body><div id="root"></div></body></html>');
    writeFileSync(join(dist, 'app.js'), 'console.log(1)');
    app = Fastify();
    await registerWebApp(app, dist, { mapStyleUrl: 'https://tiles.example.cn/style.json?key=a&b="x"' });
  });
  after(async () => { await app.close(); rmSync(dist, { recursive: true, force: true }); });

  test('the page, at / and at any client route, carries the map style in an escaped meta tag; files are served as they are', async () => {
    for (const url of ['/', '/index.html', '/cases/anything']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.headers['content-type'] as string, /text\/html/);
      assert.ok(res.body.includes('<meta name="cityops-config" content="{&quot;mapStyleUrl&quot;:&quot;https://tiles.example.cn/style.json?key=a&amp;b=\\&quot;x\\&quot;&quot;}"></head>'), res.body);
    }
    assert.equal((await app.inject({ url: '/app.js' })).body, 'console.log(1)');
    assert.equal((await app.inject({ url: '/api/nothing' })).statusCode, 404);
  });

  test('no tile server: the page says so (null), and markup in a value cannot escape the tag', () => {
    assert.match(pageWithConfig('<head></head>', { mapStyleUrl: null }), /content="\{&quot;mapStyleUrl&quot;:null\}"/);
    assert.ok(!pageWithConfig('<head></head>', { mapStyleUrl: '"><script>x</script>' }).includes('<script>'));
  });

  test('CITYOPS_MAP_STYLE_URL must be an http(s) URL; a bad one stops start-up naming it', () => {
    assert.equal(loadConfig({ CITYOPS_MAP_STYLE_URL: 'https://tiles.example.cn/style.json' }).mapStyleUrl, 'https://tiles.example.cn/style.json');
    assert.equal(loadConfig({}).mapStyleUrl, null);
    assert.throws(() => loadConfig({ CITYOPS_MAP_STYLE_URL: 'ftp://x/style.json' }), /CITYOPS_MAP_STYLE_URL/);
  });
});
