// ui.test.mjs - the web UI (web/) in a real browser against a real `wrench serve`.
//
// Each server is started as `$WRENCH serve --listen 127.0.0.1:PORT --db TMP/w.db
// --classpath CP` on jars built here (Python's zipfile), and the expectations are
// taken from the same wrench's command line (`scan --no-db --json`, `diff --json`),
// so the test checks what the page shows, not a copy of the analysis.
//
// Run: cd tests/web && npm install && WRENCH=$PWD/../../build/wrench node --test
// Screenshots go to build/web-test/.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, execFileSync} from 'node:child_process';
import {mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, unlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve, dirname} from 'node:path';
import {fileURLToPath} from 'node:url';
import net from 'node:net';
import {chromium} from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WRENCH = resolve(ROOT, process.env.WRENCH || 'build/wrench');
const SHOTS = join(ROOT, 'build', 'web-test');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PYTHON = '/usr/bin/python3';
const START_TIMEOUT_MS = 15000;
const SCAN_TIMEOUT_MS = 60000;
const LAPTOP = {width: 1280, height: 800};
const NARROW = {width: 360, height: 740};
const XSS_JAR = 'x<img src=x onerror=window.__xss=1>.jar';
const XSS_JAR2 = 'y<img src=x onerror=window.__xss=1>-2.0.jar';
const XSS_CLASS = 'com/evil/<script>window.__xss=2</script>.class';
const XSS_CLASS_DOTTED = 'com.evil.<script>window.__xss=2<.script>';

const work = mkdtempSync(join(tmpdir(), 'wrench-web-'));
const servers = [];
let browser;

// ---- fixtures -------------------------------------------------------------

// Write jars: {path: {entryName: text}} through Python's zipfile (no Java needed).
function writeJars(jars) {
    const script = 'import json, sys, zipfile\n' +
        'for path, entries in json.load(sys.stdin).items():\n' +
        '    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:\n' +
        '        for name, text in entries.items():\n' +
        '            z.writestr(name, text)\n';
    execFileSync(PYTHON, ['-c', script], {input: JSON.stringify(jars)});
}

function pom(group, name, version) {
    return {
        'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\r\n\r\n',
        [`META-INF/maven/${group}/${name}/pom.properties`]:
            `groupId=${group}\nartifactId=${name}\nversion=${version}\n`,
    };
}

// acme-util 1.0 and 2.0 with differing classes, acme-common copied under two
// names, and a classpath element that does not exist.
function makeShop(dir) {
    for (const sub of ['app', 'lib', 'plugins']) mkdirSync(join(dir, sub), {recursive: true});
    const common = {...pom('com.acme', 'acme-common', '1.4'), 'com/acme/common/Ids.class': 'ids'};
    writeJars({
        [join(dir, 'app/shop-app.jar')]: {'com/acme/app/Main.class': 'main'},
        [join(dir, 'lib/acme-util-1.0.jar')]: {...pom('com.acme', 'acme-util', '1.0'),
            'com/acme/util/Strings.class': 'strings one', 'com/acme/util/Version.class': 'v1'},
        [join(dir, 'lib/acme-util-2.0.jar')]: {...pom('com.acme', 'acme-util', '2.0'),
            'com/acme/util/Strings.class': 'strings two!', 'com/acme/util/Version.class': 'v2!'},
        [join(dir, 'lib/acme-common-1.4.jar')]: common,
        [join(dir, 'plugins/acme-common.jar')]: common,
        // two SLF4J 1.x bindings: the slf4j.multiple-bindings hint, with its Chinese texts
        [join(dir, 'lib/slf4j-simple.jar')]: {'org/slf4j/impl/StaticLoggerBinder.class': 'binder'},
        [join(dir, 'lib/logback-classic.jar')]: {'org/slf4j/impl/StaticLoggerBinder.class': 'binder'},
    });
    return ['app/shop-app.jar', 'lib/acme-util-1.0.jar', 'lib/acme-util-2.0.jar',
        'lib/acme-common-1.4.jar', 'plugins/acme-common.jar', 'lib/gone.jar',
        'lib/slf4j-simple.jar', 'lib/logback-classic.jar']
        .map((p) => join(dir, p)).join(':');
}

// Two jars whose file names and class names are markup.
function makeHostile(dir) {
    mkdirSync(dir, {recursive: true});
    const classes = (text) => ({[XSS_CLASS]: text, 'com/evil/<img src=x onerror=window.__xss=3>.class': text});
    writeJars({[join(dir, XSS_JAR)]: classes('one'), [join(dir, XSS_JAR2)]: classes('two!')});
    return join(dir, '*');
}

function cliJson(args) {
    try {
        return JSON.parse(execFileSync(WRENCH, args, {encoding: 'utf8'}));
    } catch (err) {
        // exit code 1 means findings at or above the threshold: the JSON is still there
        if (err.status === 1 && err.stdout) return JSON.parse(err.stdout);
        throw err;
    }
}

// ---- the server -------------------------------------------------------------

function freePort() {
    return new Promise((ok, fail) => {
        const srv = net.createServer();
        srv.on('error', fail);
        srv.listen(0, '127.0.0.1', () => {
            const {port} = srv.address();
            srv.close(() => ok(port));
        });
    });
}

async function startServer(name, classpath, extra = []) {
    const dir = join(work, name);
    mkdirSync(dir, {recursive: true});
    const port = await freePort();
    const db = join(dir, 'w.db');
    // classpath null: no target, the server discovers (e.g. `--pid PID` in extra)
    const args = ['serve', '--listen', `127.0.0.1:${port}`, '--db', db,
        ...(classpath ? ['--classpath', classpath] : []), ...extra];
    const child = spawn(WRENCH, args, {stdio: ['ignore', 'pipe', 'pipe']});
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    let exited = null;
    child.on('exit', (code, signal) => (exited = {code, signal}));
    child.on('error', (err) => (exited = {error: err.message}));
    const server = {child, port, db, base: `http://127.0.0.1:${port}`, log: () => output};
    servers.push(server);
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
        if (exited) {
            assert.fail(`${WRENCH} ${args.join(' ')} exited (${JSON.stringify(exited)}) ` +
                `before answering /healthz:\n${output}`);
        }
        try {
            const res = await fetch(server.base + '/healthz');
            if (res.ok) return server;
        } catch (err) {
            // not listening yet
        }
        if (Date.now() > deadline) {
            assert.fail(`${WRENCH} serve did not answer ${server.base}/healthz within ` +
                `${START_TIMEOUT_MS} ms:\n${output}`);
        }
        await new Promise((r) => setTimeout(r, 100));
    }
}

async function stopServer(server) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return;
    const gone = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
}

// ---- the browser ------------------------------------------------------------

async function openPage(server, viewport = LAPTOP) {
    const context = await browser.newContext({viewport, locale: 'en-US'});
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
        // the API's 404 answers (no earlier scan) are expected; script errors are not
        if (msg.type() === 'error' && !/status of 40\d/.test(msg.text())) errors.push(msg.text());
    });
    await page.goto(server.base + '/');
    return {page, context, errors};
}

// Press "Run scan" and wait for the new scan's finished report; returns its id.
async function runScan(page) {
    const before = page.url();
    await page.getByRole('button', {name: 'Run scan'}).click();
    await page.waitForURL((url) => /#\/scans\/\d+$/.test(url.href) && url.href !== before,
        {timeout: SCAN_TIMEOUT_MS});
    const id = Number(/#\/scans\/(\d+)$/.exec(page.url())[1]);
    await page.locator('main h1', {hasText: `#${id}`}).waitFor({timeout: SCAN_TIMEOUT_MS});
    await page.locator('#verdict').waitFor({timeout: SCAN_TIMEOUT_MS});
    return id;
}

async function shot(page, name) {
    mkdirSync(SHOTS, {recursive: true});
    await page.screenshot({path: join(SHOTS, name + '.png'), fullPage: true});
}

function sectionTitle(page, id) {
    return page.locator(`#${id} > h2`);
}

before(async () => {
    browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        // launch() gives Chromium a fresh temporary user-data dir of its own, removed on close;
        // each test also gets its own context (no shared storage or cookies).
    });
});

after(async () => {
    for (const server of servers) await stopServer(server);
    if (browser) await browser.close();
    rmSync(work, {recursive: true, force: true});
});

// ---- tests ------------------------------------------------------------------

test('scan, report sections, filter, language, diff and back button', {timeout: 180000}, async () => {
    const shop = join(work, 'shop');
    const classpath = makeShop(shop);
    const expected = cliJson(['scan', '--no-db', '--json', '--classpath', classpath]);
    const server = await startServer('main', classpath);
    const {page, context, errors} = await openPage(server);

    // an empty history, then the first scan
    await assert.doesNotReject(page.locator('main h1', {hasText: 'Scans'}).waitFor());
    const first = await runScan(page);
    assert.match(await page.locator('main h1').textContent(), new RegExp(`Scan #${first}`));

    // the verdict leads, with the conflict's jars and the winner as evidence
    const verdict = page.locator('#verdict');
    assert.equal((await verdict.locator('.verdict-text strong').textContent()).trim(),
        expected.summary.verdict);
    assert.match(expected.summary.verdict, /acme-util-1\.0\.jar/);
    const evidence = await verdict.locator('.evidence').textContent();
    assert.match(evidence, /lib\/acme-util-1\.0\.jar/);
    assert.match(evidence, /lib\/acme-util-2\.0\.jar/);
    assert.match(evidence, /loads first/);
    assert.match(evidence, /com\.acme\.util\.Strings/);
    assert.equal(await verdict.locator('.sev').first().textContent(), 'Error');
    // the verdict shows the incidents the report says it names (by id), nothing guessed
    assert.ok(expected.verdict.incidents.length > 0);
    assert.equal(expected.verdict.text, expected.summary.verdict);
    assert.deepEqual(await verdict.locator('.verdict-incident').evaluateAll(
        (nodes) => nodes.map((n) => n.dataset.incident)), expected.verdict.incidents);

    // the incidents come first, right after the verdict and before any finding section,
    // in the report's rank, each with its root cause
    const order = await page.locator('.report > section').evaluateAll(
        (nodes) => nodes.map((n) => n.id));
    assert.deepEqual(order.slice(0, 2), ['verdict', 'incidents']);
    for (const id of ['logs', 'hints', 'conflicts', 'duplicates', 'entries', 'problems']) {
        if (order.includes(id)) assert.ok(order.indexOf(id) > order.indexOf('incidents'), id);
    }
    assert.ok(expected.incidents.length > 0);
    assert.match(await sectionTitle(page, 'incidents').textContent(),
        new RegExp(`\\(${expected.incidents.length}\\)$`));
    const shown = page.locator('#incidents details.finding');
    assert.deepEqual(await shown.evaluateAll((nodes) => nodes.map((n) => n.dataset.incident)),
        expected.incidents.map((i) => i.id));
    for (const [k, inc] of expected.incidents.entries()) {
        const title = await shown.nth(k).locator('summary .title').textContent();
        assert.equal(title, `${inc.what}: ${inc.cause_text}`);
    }
    // an incident opens to its findings, each with the report's evidence
    const firstIncident = shown.first();
    await firstIncident.locator('summary').click();
    const members = await firstIncident.locator('[data-finding]').evaluateAll(
        (nodes) => nodes.map((n) => n.dataset.finding));
    assert.deepEqual(members, expected.incidents[0].findings);

    // counts by severity, as text
    for (const sev of ['critical', 'error', 'warning', 'info']) {
        const box = page.locator(`.sev-box-${sev}`);
        assert.equal(await box.locator('.count-number').textContent(), String(expected.summary[sev]));
        assert.ok((await box.locator('.count-label').textContent()).length > 0);
    }

    // every section, with its count
    const sections = {conflicts: expected.conflicts.length, duplicates: expected.duplicates.length,
        hints: expected.hints.length, problems: expected.problems.length,
        entries: expected.views[0].entries.length};
    for (const [id, n] of Object.entries(sections)) {
        assert.match(await sectionTitle(page, id).textContent(), new RegExp(`\\(${n}\\)$`), id);
    }
    assert.ok(expected.problems.some((p) => p.path.endsWith('gone.jar')));
    assert.match(await page.locator('#problems').textContent(), /gone\.jar/);
    const gone = expected.problems.find((p) => p.path.endsWith('gone.jar'));
    assert.ok(gone.message_zh && gone.message_zh !== gone.message, JSON.stringify(gone));
    assert.ok((await page.locator('#problems').textContent()).includes(gone.message));
    assert.match(await page.locator('#duplicates').textContent(), /acme-common/);

    // a conflict opens to show its jars, its winner and its differing classes
    const conflict = page.locator('#conflicts details.finding').first();
    assert.equal(await conflict.evaluate((d) => d.open), false);
    await conflict.locator('summary').click();
    assert.equal(await conflict.evaluate((d) => d.open), true);
    await assert.doesNotReject(conflict.getByText('com.acme.util.Version').waitFor());
    assert.match(await conflict.textContent(), /Loaded from.*lib\/acme-util-1\.0\.jar/s);

    // the entries table filters by text and by status
    const filter = page.getByLabel('Filter entries');
    const visibleRows = () => page.locator('#entries tbody tr:visible').count();
    assert.equal(await visibleRows(), expected.views[0].entries.length);
    await filter.fill('acme-common');
    assert.equal(await visibleRows(), 2);
    assert.match(await page.locator('#entries .shown').textContent(), /Showing 2 of 8/);
    await filter.fill('');
    await page.getByLabel('Status').selectOption({label: 'not ok'});
    assert.equal(await visibleRows(), 1);
    assert.match(await page.locator('#entries tbody tr:visible').textContent(), /gone\.jar/);
    await page.getByLabel('Status').selectOption({label: 'all'});

    await shot(page, 'scan-laptop');

    // Simplified Chinese and back; the choice survives a reload
    await page.getByRole('button', {name: '中文'}).click();
    await assert.doesNotReject(page.locator('main h1', {hasText: `扫描 #${first}`}).waitFor());
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.match(await sectionTitle(page, 'conflicts').textContent(), /类冲突/);
    assert.equal(await page.locator('#run-scan').textContent(), '运行扫描');
    // rule texts too: the hint's title and advice in Chinese, as the report carries them
    const hint = expected.hints.find((h) => h.id === 'slf4j.multiple-bindings');
    assert.ok(hint && hint.title_zh && hint.hint_zh && hint.title_zh !== hint.title);
    const hintTitles = () => page.locator('#hints details.finding summary').allTextContents();
    assert.ok((await hintTitles()).some((x) => x.includes(hint.title_zh)));
    assert.ok(!(await page.locator('#hints').textContent()).includes(hint.title));
    // the sentences wrench writes: the verdict and the conflicts' titles in Chinese
    const verdictText = () => page.locator('#verdict .verdict-text').textContent();
    const conflictTitles = () => page.locator('#conflicts details.finding summary').allTextContents();
    assert.ok(expected.verdict.text_zh && /[\u4e00-\u9fff]/.test(expected.verdict.text_zh));
    assert.ok((await verdictText()).includes(expected.verdict.text_zh));
    assert.ok(!(await verdictText()).includes(expected.verdict.text));
    assert.ok(expected.conflicts.length && expected.conflicts.every((c) => c.title_zh));
    for (const c of expected.conflicts) {
        assert.ok((await conflictTitles()).some((x) => x.includes(c.title_zh)), c.title_zh);
    }
    // a problem reading a jar: its message as the report words it in Chinese
    assert.ok((await page.locator('#problems').textContent()).includes(gone.message_zh));
    assert.ok(!(await page.locator('#problems').textContent()).includes(gone.message));
    // the history lists it with its Chinese verdict too
    await page.goto(server.base + '/#/scans');
    await assert.doesNotReject(page.locator('.verdict-cell',
        {hasText: expected.verdict.text_zh.slice(0, 20)}).first().waitFor());
    await page.goto(server.base + `/#/scans/${first}`);
    await assert.doesNotReject(page.locator('main h1', {hasText: `扫描 #${first}`}).waitFor());
    await page.locator('#verdict').waitFor();
    await shot(page, 'scan-laptop-zh');
    await page.reload();
    await assert.doesNotReject(page.locator('main h1', {hasText: `扫描 #${first}`}).waitFor());
    await page.getByRole('button', {name: 'English'}).click();
    await assert.doesNotReject(page.locator('main h1', {hasText: `Scan #${first}`}).waitFor());
    assert.equal(await page.locator('#run-scan').textContent(), 'Run scan');
    assert.ok((await hintTitles()).some((x) => x.includes(hint.title)));
    assert.ok((await verdictText()).includes(expected.verdict.text));
    assert.ok((await conflictTitles()).some((x) => x.includes(expected.conflicts[0].title)));

    // a narrow iframe-sized window: no sideways scrolling of the page itself
    await page.setViewportSize(NARROW);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
        'the page is wider than 360 px');
    await shot(page, 'scan-narrow');
    await page.setViewportSize(LAPTOP);

    // a second scan after acme-util 1.0 is gone, then the diff against the first
    unlinkSync(join(shop, 'lib/acme-util-1.0.jar'));
    const second = await runScan(page);
    assert.ok(second > first);
    const diff = cliJson(['diff', '--db', server.db, '--json']);
    await page.getByRole('link', {name: 'Compare with the previous scan'}).click();
    await page.waitForURL(new RegExp(`#/diff/${second}$`));
    await assert.doesNotReject(page.locator('main h1', {hasText: `#${second}`}).waitFor());
    assert.match(await page.locator('main h1').textContent(), new RegExp(`#${first}`));
    assert.ok(diff.resolved_findings.length > 0, 'the CLI diff found nothing resolved');
    const resolved = page.locator('#diff-resolved_findings');
    assert.match(await resolved.locator('h2').textContent(), /Resolved findings/);
    for (const item of diff.resolved_findings) {
        assert.ok((await resolved.textContent()).includes(item.title), item.title);
    }
    for (const item of diff.new_findings) {
        assert.ok((await page.locator('#diff-new_findings').textContent()).includes(item.title));
    }
    // the jar that went is named by its path, as the CLI names it
    assert.ok(diff.jars_removed.some((j) => j.path.endsWith('/acme-util-1.0.jar')));
    for (const item of diff.jars_removed) {
        assert.ok((await page.locator('#diff-jars_removed').textContent()).includes(item.path));
    }
    await shot(page, 'diff-laptop');
    await page.setViewportSize(NARROW);
    await shot(page, 'diff-narrow');
    await page.setViewportSize(LAPTOP);

    // the back button returns to the second scan's report, then to the list
    await page.goBack();
    await page.waitForURL(new RegExp(`#/scans/${second}$`));
    await assert.doesNotReject(page.locator('#verdict').waitFor());
    await page.getByRole('link', {name: 'Scans', exact: true}).first().click();
    await page.waitForURL(/#\/scans$/);
    await assert.doesNotReject(page.locator(`main a[href="#/scans/${first}"]`).waitFor());
    assert.equal(await page.locator('main tbody tr').count(), 2);
    await shot(page, 'history-laptop');
    await page.setViewportSize(NARROW);
    await shot(page, 'history-narrow');

    assert.deepEqual(errors, []);
    await context.close();
});

test('accepted findings are shown greyed with their reason, read-only', {timeout: 120000}, async () => {
    const classpath = makeShop(join(work, 'accept-shop'));
    const acceptFile = join(work, 'accept.json');
    writeFileSync(acceptFile, JSON.stringify({accept: [
        {artifact: 'com.acme:acme-util', reason: 'two versions until the 3.0 migration'}]}));
    const expected = cliJson(['scan', '--no-db', '--json', '--classpath', classpath,
        '--accept', acceptFile]);
    const accepted = expected.findings.filter((f) => f.accepted);
    assert.ok(accepted.length >= 2, 'the acme-util duplicate and conflict are accepted');
    const server = await startServer('accept', classpath, ['--accept', acceptFile]);
    const {page, context, errors} = await openPage(server);
    await runScan(page);
    await assert.doesNotReject(sectionTitle(page, 'accepted').waitFor());
    const title = await sectionTitle(page, 'accepted').textContent();
    assert.ok(title.includes(`(${accepted.length})`), title);
    const section = await page.locator('#accepted').textContent();
    assert.ok(section.includes('Read-only'), section);
    for (const f of accepted) assert.ok(section.includes(f.title), `${f.title} not listed`);
    // in its own section too, greyed, with the reason and no control to change it
    const greyed = page.locator('#conflicts details.set-aside, #duplicates details.set-aside');
    assert.equal(await greyed.count(), accepted.filter((f) =>
        f.kind === 'conflict' || f.kind === 'duplicate').length);
    const first = greyed.first();
    await first.evaluate((d) => (d.open = true));
    assert.ok((await first.textContent()).includes('two versions until the 3.0 migration'));
    assert.equal(await page.locator('#accepted button, #accepted input').count(), 0);
    await shot(page, 'accepted');
    assert.deepEqual(errors, []);
    await context.close();
});

// With a token and `--accept FILE`, a finding is accepted from the page: the reason asked
// for, the entry written to the file (created by this first accept), the finding then shown
// greyed in the Accepted section; "Remove acceptance" takes it out of the file again.
test('with a token the page accepts a finding and removes it again, in the file', {timeout: 120000}, async () => {
    const classpath = makeShop(join(work, 'accept-edit-shop'));
    const acceptDir = join(work, 'accept-edit-team');
    mkdirSync(acceptDir, {recursive: true});
    const acceptFile = join(acceptDir, 'accept.json');
    const tokenFile = join(work, 'accept-edit-token');
    writeFileSync(tokenFile, 'accept-token-456', {mode: 0o600});
    const server = await startServer('accept-edit', classpath,
        ['--accept', acceptFile, '--token-file', tokenFile]);
    const context = await browser.newContext({viewport: LAPTOP, locale: 'en-US'});
    await context.addInitScript(() => sessionStorage.setItem('wrench.token', 'accept-token-456'));
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(server.base + '/');
    await runScan(page);

    const counted = page.locator('#conflicts details.finding[data-counted="true"]');
    await counted.first().locator('.accept-open').waitFor({state: 'attached'});
    const before = await counted.count();
    assert.ok(before >= 1, 'the acme-util conflict is counted');
    const id = await counted.first().getAttribute('data-finding');
    await counted.first().evaluate((d) => (d.open = true));
    await counted.first().getByRole('button', {name: 'Accept…'}).click();
    await counted.first().getByLabel('Why can it stay?').fill('kept until the 3.0 migration');
    await counted.first().getByRole('button', {name: 'Accept', exact: true}).click();

    await sectionTitle(page, 'accepted').waitFor();
    assert.deepEqual(JSON.parse(readFileSync(acceptFile, 'utf8')),
        {accept: [{id, reason: 'kept until the 3.0 migration'}]});
    assert.equal(await counted.count(), before - 1);
    const greyed = page.locator(`#conflicts details.set-aside[data-finding="${id}"]`);
    assert.equal(await greyed.count(), 1);
    assert.ok((await page.locator('#accepted').textContent()).includes('rewrites that file'));
    await shot(page, 'accept-edit');

    const aside = page.locator(`#accepted details[data-finding="${id}"]`);
    await aside.evaluate((d) => (d.open = true));
    await aside.getByRole('button', {name: 'Remove acceptance'}).click();
    await page.locator('#accepted').waitFor({state: 'detached'});
    assert.deepEqual(JSON.parse(readFileSync(acceptFile, 'utf8')), {accept: []});
    await counted.first().locator('.accept-open').waitFor({state: 'attached'});
    assert.equal(await counted.count(), before);
    assert.deepEqual(errors, []);
    await context.close();
});

test('markup in jar and class names is shown as text, never run', {timeout: 120000}, async () => {
    const server = await startServer('xss', makeHostile(join(work, 'hostile')));
    const {page, context, errors} = await openPage(server);
    await runScan(page);
    for (const details of await page.locator('details').all()) {
        await details.evaluate((d) => (d.open = true));
    }
    await page.waitForTimeout(300); // an injected onerror handler would have run by now
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator('main img, main script').count(), 0);
    const text = await page.locator('main').textContent();
    assert.ok(text.includes(XSS_JAR), 'jar name not shown literally');
    assert.ok(text.includes(XSS_JAR2), 'second jar name not shown literally');
    assert.ok(text.includes(XSS_CLASS_DOTTED), 'class name not shown literally');
    await page.goto(server.base + '/#/scans');
    await page.locator('main tbody tr').first().waitFor();
    assert.ok((await page.locator('main').textContent()).includes(XSS_JAR));
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await shot(page, 'xss-history');
    assert.deepEqual(errors, []);
    await context.close();
});

test('a server with --auth all asks for the token and then uses it', {timeout: 60000}, async () => {
    const tokenFile = join(work, 'token');
    writeFileSync(tokenFile, 'web-test-token-123', {mode: 0o600});
    const server = await startServer('auth', makeShop(join(work, 'auth-shop')),
        ['--token-file', tokenFile, '--auth', 'all']);
    const {page, context} = await openPage(server);
    const field = page.getByLabel('Bearer token');
    await assert.doesNotReject(field.waitFor());
    await field.fill('wrong');
    await page.getByRole('button', {name: 'Use token'}).click();
    await assert.doesNotReject(page.getByText('The server refused the token.').waitFor());
    await page.getByLabel('Bearer token').fill('web-test-token-123');
    await page.getByRole('button', {name: 'Use token'}).click();
    await assert.doesNotReject(page.locator('main h1', {hasText: 'Scans'}).waitFor());
    await runScan(page);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('wrench.token')),
        'web-test-token-123');
    await context.close();
});

// A real JVM whose two start threads deadlock and whose three workers wait on one latch
// (identical stacks), served with `--pid`: its service card comes first, with the state the
// report gives; the "Thread dump" button runs a scan that takes its dump, shown folded by
// stack (the workers once, with their count) with the deadlock highlighted.
const WORKERS_JAVA = `
import java.util.concurrent.CountDownLatch;
public class Workers {
    static final Object A = new Object(), B = new Object();
    static void both(Object first, Object second) {
        synchronized (first) {
            try { Thread.sleep(300); } catch (InterruptedException e) { return; }
            synchronized (second) { System.out.println("never"); }
        }
    }
    public static void main(String[] args) throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        for (int i = 0; i < 3; i++) {
            new Thread(() -> { try { never.await(); } catch (InterruptedException e) { } },
                "worker-" + i).start();
        }
        Thread a = new Thread(() -> both(A, B), "orders-loader");
        Thread b = new Thread(() -> both(B, A), "stock-loader");
        a.start();
        b.start();
        Thread.sleep(600);
        System.out.println("started");
        System.out.flush();
        a.join();
    }
}
`;

test('services come first, and the Thread dump button shows the deadlock', {timeout: 180000}, async () => {
    const dir = join(work, 'deadlock');
    mkdirSync(dir, {recursive: true});
    writeFileSync(join(dir, 'Workers.java'), WORKERS_JAVA);
    execFileSync('javac', ['-nowarn', '-d', dir, join(dir, 'Workers.java')]);
    const jvm = spawn('java', ['-cp', dir, 'Workers'], {cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe']});
    let jvmOutput = '';
    jvm.stdout.on('data', (d) => (jvmOutput += d));
    jvm.stderr.on('data', (d) => (jvmOutput += d));
    try {
        const deadline = Date.now() + 30000;
        while (!jvmOutput.includes('started')) {
            assert.ok(jvm.exitCode === null && Date.now() < deadline, 'the JVM did not start: ' + jvmOutput);
            await new Promise((r) => setTimeout(r, 100));
        }
        const server = await startServer('services', null, ['--pid', String(jvm.pid)]);
        const {page, context, errors} = await openPage(server);
        await page.locator('main h1', {hasText: 'Scans'}).waitFor();

        // a plain scan: the service card leads the page, with the report's state and no dump
        const first = await runScan(page);
        const report = await (await fetch(`${server.base}/api/v1/scans/${first}`)).json();
        assert.equal(report.services.length, 1, JSON.stringify(report.services));
        const svc = report.services[0];
        assert.equal(svc.pid, jvm.pid);
        assert.equal(svc.thread_dump, null);
        const firstSection = page.locator('.report > section').first();
        assert.equal(await firstSection.getAttribute('id'), 'services');
        const card = page.locator('#services .service-card');
        assert.equal(await card.count(), 1);
        assert.equal(await card.getAttribute('data-service'), svc.name);
        assert.equal(await card.locator('.state-badge').getAttribute('data-state'), svc.state);
        assert.equal(await card.locator('.state-badge').textContent(), svc.state.toUpperCase());
        assert.equal(await card.locator('.service-reason').textContent(), svc.reason);
        assert.equal(await card.locator('.thread-dump').count(), 0);
        await shot(page, 'services-laptop');

        // the Thread dump button: a new scan with the dump, the deadlock highlighted
        await page.getByRole('button', {name: 'Thread dump'}).click();
        await page.waitForURL((url) => /#\/scans\/\d+$/.test(url.href) &&
            !url.href.endsWith(`#/scans/${first}`), {timeout: SCAN_TIMEOUT_MS});
        const second = Number(/#\/scans\/(\d+)$/.exec(page.url())[1]);
        await page.locator('main h1', {hasText: `#${second}`}).waitFor({timeout: SCAN_TIMEOUT_MS});
        await page.locator('#services .thread-dump').waitFor({timeout: SCAN_TIMEOUT_MS});
        const dumped = (await (await fetch(`${server.base}/api/v1/scans/${second}`)).json()).services[0];
        const dump = dumped.thread_dump;
        assert.match(dump.status, /^taken through the attach protocol/);
        assert.ok(dump.deadlocks.length >= 1, JSON.stringify(dump.deadlocks));
        const badge = page.locator('#services .state-badge');
        assert.equal(await badge.getAttribute('data-state'), dumped.state);
        // the deadlock opens the details and is shown link by link, as the report words it
        const details = page.locator('#services .dump-details');
        assert.equal(await details.getAttribute('open'), '');
        const links = page.locator('#services .deadlock').first().locator('li');
        assert.deepEqual(await links.allTextContents(), dump.deadlocks[0]);
        // each folded stack once, with its count: the three workers among them
        assert.ok(dump.stacks.some((st) => st.count === 3 && st.threads.includes('worker-0')),
            JSON.stringify(dump.stacks));
        const stacks = page.locator('#services .dump-stack');
        assert.equal(await stacks.count(), dump.stacks.length);
        for (let i = 0; i < dump.stacks.length; i++) {
            assert.equal(await stacks.nth(i).locator('.stack-count').textContent(),
                '×' + dump.stacks[i].count);
            assert.equal(await stacks.nth(i).locator('code').textContent(), dump.stacks[i].top_frame);
        }
        await shot(page, 'services-dump');
        // the evidence as the report words it, in English first
        const evidence = page.locator('#services [data-list="service.evidence"] li');
        assert.ok(dumped.evidence.length && dumped.evidence_zh.length === dumped.evidence.length,
            JSON.stringify(dumped));
        assert.deepEqual(await evidence.allTextContents(), dumped.evidence);
        assert.ok(dump.summary && dump.summary_zh && dump.summary_zh !== dump.summary);
        assert.ok((await page.locator('#services .thread-dump').textContent()).includes(dump.summary));
        // Chinese: the badge says the state in Chinese; the reason, the evidence and the
        // dump's summary are the report's Chinese ones
        await page.getByRole('button', {name: '中文'}).click();
        await page.locator('#services-title', {hasText: '服务'}).waitFor();
        assert.notEqual(await page.locator('#services .state-badge').textContent(),
            dumped.state.toUpperCase());
        assert.deepEqual(await evidence.allTextContents(), dumped.evidence_zh);
        assert.ok(dumped.evidence_zh.every((x) => /[\u4e00-\u9fff]/.test(x)), dumped.evidence_zh);
        assert.equal(await card.locator('.service-reason').textContent(), dumped.reason_zh);
        assert.ok((await page.locator('#services .thread-dump').textContent()).includes(dump.summary_zh));
        assert.match(dump.status_zh, /^已通过 attach 协议获取，共 \d+ 个线程$/);
        assert.ok((await page.locator('#services .thread-dump').textContent()).includes(dump.status_zh));
        assert.equal(jvm.exitCode, null, 'the JVM lives on after the dump');
        assert.deepEqual(errors, []);
        await context.close();
    } finally {
        jvm.kill('SIGTERM');
        try {
            unlinkSync(`/tmp/.java_pid${jvm.pid}`);
        } catch (e) {
            // removed by the JVM on exit
        }
    }
});

test('a conflict lists all its shared classes, 50 to a page, differing ones with their copies',
    {timeout: 120000}, async () => {
        const dir = join(work, 'paged');
        mkdirSync(dir, {recursive: true});
        const jar = (version) => {
            const entries = pom('com.paged', 'paged', version);
            for (let i = 0; i < 100; i++) entries[`com/paged/same/S${i}.class`] = 'same';
            for (let i = 0; i < 20; i++) entries[`com/paged/diff/D${i}.class`] = `v${version}`;
            return entries;
        };
        const a = join(dir, 'paged-1.0.jar'), b = join(dir, 'paged-2.0.jar');
        writeJars({[a]: jar('1.0'), [b]: jar('2.0.0')});
        const classpath = `${a}:${b}`;
        const expected = cliJson(['scan', '--no-db', '--json', '--classpath', classpath]);
        const c = expected.conflicts[0];
        assert.equal(c.class_copies.length + c.identical_classes.length, 120);
        const server = await startServer('paged', classpath);
        const {page, context, errors} = await openPage(server);
        await runScan(page);
        const conflict = page.locator('#conflicts details.finding').first();
        await conflict.locator('summary').click();
        const list = conflict.locator('.conflict-classes');
        const rows = list.locator('ul.class-list > li');
        assert.equal(await rows.count(), 50);
        assert.match(await list.locator('.page-status').textContent(), /^1–50 of 120$/);
        assert.equal(await list.locator('.page-prev').isDisabled(), true);
        // differing classes first, each copy's CRC-32 (hex) and size, in loader order
        const first = c.class_copies[0];
        const copies = first.crc.map((crc, i) =>
            `${crc.toString(16).padStart(8, '0')}/${first.size[i]}`).join(' · ');
        assert.equal(await rows.first().textContent(), `${first.class} ${copies}`);
        await list.locator('.page-next').click();
        assert.match(await list.locator('.page-status').textContent(), /^51–100 of 120$/);
        assert.equal(await rows.count(), 50);
        await list.locator('.page-next').click();
        assert.match(await list.locator('.page-status').textContent(), /^101–120 of 120$/);
        assert.equal(await rows.count(), 20);
        assert.equal(await list.locator('.page-next').isDisabled(), true);
        const shown = await rows.allTextContents();
        assert.equal(shown.at(-1), `${c.identical_classes.at(-1)} identical`);
        await list.locator('.page-prev').click();
        assert.match(await list.locator('.page-status').textContent(), /^51–100 of 120$/);
        await shot(page, 'conflict-pages');
        assert.deepEqual(errors, []);
        await context.close();
    });

// The logs of a real Tomcat started four times (testdata/state/timeline, made from real runs
// by its make.py: three starts that finished, webapp /bad failing in each, and a fourth
// killed while starting), found with no target under --root: the service card shows the
// four starts on a line, the last one open, and the /bad incident at its first time, between
// the first start and the second.
test('a service card shows its starts on a timeline with the incidents on it', {timeout: 120000}, async () => {
    const emptyProc = join(work, 'timeline-proc');
    mkdirSync(emptyProc, {recursive: true});
    const root = join(ROOT, 'testdata', 'state', 'timeline', 'root');
    const server = await startServer('timeline', null, ['--root', root, '--proc-root', emptyProc]);
    const {page, context, errors} = await openPage(server);
    await page.locator('main h1', {hasText: 'Scans'}).waitFor();
    const id = await runScan(page);
    const report = await (await fetch(`${server.base}/api/v1/scans/${id}`)).json();
    assert.equal(report.services.length, 1, JSON.stringify(report.services));
    const svc = report.services[0];
    assert.equal(svc.starts_total, 4);
    assert.deepEqual(svc.starts.map((s) => s.finished), [true, true, true, false]);
    const timeline = page.locator('#services .service-card .service-timeline');
    await timeline.waitFor();
    assert.equal(await timeline.locator('h4').textContent(), 'Starts: 4');
    const starts = timeline.locator('.timeline .tl-start');
    assert.equal(await starts.count(), 4);
    assert.equal(await timeline.locator('.timeline .tl-start.tl-finished').count(), 3);
    assert.match(await starts.nth(3).getAttribute('class'), /\btl-open\b/);
    assert.match(await timeline.locator('.tl-summary').textContent(),
        /^It started 4 times; the last start has not finished \(\d+ (s|min|h|days) before the scan\); no JVM runs it now\.$/);
    // the list says the same in words: three finished with their durations, the last not
    const items = await timeline.locator('.tl-list > li').allTextContents();
    assert.equal(items.length, 4);
    svc.starts.slice(0, 3).forEach((s, i) =>
        assert.ok(items[i].endsWith(`finished in ${Math.round(s.took_ms / 100) / 10} s`), items[i]));
    assert.match(items[3], /has not finished/);
    // the webapp's failure sits on the line at its first time: after the first start began,
    // before the second
    const bad = report.incidents.find((i) => i.name === '/bad');
    assert.ok(bad && bad.first_seen_ms > svc.starts[0].at_ms && bad.first_seen_ms < svc.starts[1].at_ms,
        JSON.stringify(bad));
    const marker = timeline.locator(`.tl-incident[data-incident="${bad.id}"]`);
    assert.equal(await marker.count(), 1);
    const box = await marker.boundingBox();
    const first = await starts.nth(0).boundingBox();
    const second = await starts.nth(1).boundingBox();
    const center = box.x + box.width / 2;
    assert.ok(first.x < center && center < second.x, JSON.stringify({first, box, second}));
    assert.match(await marker.getAttribute('title'), /^Incident: webapp \/bad, first seen /);
    await shot(page, 'services-timeline');
    await page.getByRole('button', {name: '中文'}).click();
    await page.locator('#services .service-timeline h4', {hasText: '启动：4 次'}).waitFor();
    assert.match(await page.locator('#services .tl-summary').textContent(), /^共启动 4 次；最后一次启动未完成/);
    assert.deepEqual(errors, []);
    await context.close();
});
