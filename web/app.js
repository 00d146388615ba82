// app.js - the wrench web UI: routes on the URL hash (#/scans, #/scans/12,
// #/diff/12) so that the back button works, the "Run scan" button with live
// progress, the token form shown on 401, and the language switch.
import {el, clear, scanId} from './dom.js';
import {RUN_SCAN_EVENT} from './services.js';
import {t, initLanguage, setLanguage, language, LANGUAGES, translateStatic, formatPercent,
    formatTime, formatNumber, tOr} from './i18n.js';
import {api, ApiError, getToken, setToken} from './api.js';
import {keyValues} from './widgets.js';
import {renderReport} from './render.js';
import {addAcceptControls} from './acceptui.js';
import {historyView} from './history.js';
import {diffView} from './diff.js';

const POLL_MS = 500;
const main = () => document.getElementById('main');
let generation = 0; // bumped on every navigation: stale async work checks it and stops
let pollTimer = null;

function parseRoute(hash) {
    const path = hash.replace(/^#/, '') || '/scans';
    let m;
    if (path === '/' || path === '/scans') return {name: 'scans'};
    if ((m = /^\/scans\/(\d+)$/.exec(path))) return {name: 'scan', id: Number(m[1])};
    if ((m = /^\/diff\/(\d+)$/.exec(path))) return {name: 'diff', id: Number(m[1])};
    return {name: 'unknown'};
}

function show(...nodes) {
    clear(main());
    for (const node of nodes) if (node) main().appendChild(node);
}

function notice(text, isError) {
    const box = document.getElementById('notice');
    clear(box);
    if (text) box.appendChild(el('p', {class: isError ? 'error' : 'info'}, text));
}

function loading() {
    show(el('p', {class: 'loading'}, t('loading')));
}

function errorText(err) {
    if (!(err instanceof ApiError)) return t('err.bad_data');
    if (err.status === 0) return t('err.network');
    return t('err.http', {status: err.status, message: err.message});
}

// Every failed request lands here: 401 asks for a token, the rest is said in words.
function fail(err, mine) {
    if (mine !== generation) return;
    if (err instanceof ApiError && err.status === 401) {
        show(tokenForm());
        return;
    }
    if (!(err instanceof ApiError)) console.error(err);
    show(el('p', {class: 'error', role: 'alert'}, errorText(err)));
}

async function route(focus) {
    const mine = ++generation;
    clearTimeout(pollTimer);
    const r = parseRoute(location.hash);
    loading();
    try {
        if (r.name === 'scans') await showHistory(mine);
        else if (r.name === 'scan') await showScan(r.id, mine);
        else if (r.name === 'diff') await showDiff(r.id, mine);
        else show(el('p', {class: 'error', role: 'alert'}, t('err.route')));
    } catch (err) {
        fail(err, mine);
    }
    if (focus && mine === generation) {
        const title = document.getElementById('page-title');
        if (title) title.focus();
    }
}

async function showHistory(mine) {
    const page = await api.listScans();
    if (mine !== generation) return;
    document.title = t('list.title') + ' – wrench';
    show(historyView(page, async (before) => {
        try {
            return await api.listScans(before);
        } catch (err) {
            notice(errorText(err), true);
            return null;
        }
    }));
}

// A scan still queued or running shows its progress until it ends, then its report.
async function showScan(id, mine) {
    document.title = t('scan.title', {id}) + ' – wrench';
    let status = null;
    try {
        status = await api.getStatus(id);
    } catch (err) {
        if (!(err instanceof ApiError) || err.status === 401 || err.status === 0) throw err;
    }
    if (mine !== generation) return;
    if (status && (status.status === 'queued' || status.status === 'running')) {
        showProgress(id, status, mine);
        return;
    }
    if (status && status.status === 'failed') {
        show(scanTitle(id), el('p', {class: 'error', role: 'alert'},
            t('scan.failed', {message: String(status.error || t('unknown'))})));
        return;
    }
    const report = await api.getScan(id);
    if (mine !== generation) return;
    if (!report || typeof report !== 'object' || !report.summary) throw new Error('no summary');
    show(scanTitle(id), scanMeta(id, report), renderReport(report));
    addAcceptControls(main(), () => {
        if (mine === generation) route(false);
    }, (err) => fail(err, mine));
}

function scanTitle(id) {
    return el('h1', {id: 'page-title', tabindex: '-1'}, t('scan.title', {id}));
}

function scanMeta(id, report) {
    const scan = report.scan || {};
    const download = el('button', {type: 'button'}, t('scan.download'));
    download.addEventListener('click', () => downloadJson(id, report));
    return el('div', {class: 'scan-meta'},
        keyValues([[t('scan.started'), el('time', {datetime: String(scan.started || '')},
            formatTime(scan.started))],
        [t('scan.duration'), typeof scan.duration_ms === 'number'
            ? t('ms', {n: formatNumber(scan.duration_ms)}) : null],
        [t('scan.host'), scan.host ? String(scan.host) : null],
        [t('scan.version'), report.wrench_version ? String(report.wrench_version) : null]], 'kv inline'),
        el('p', {class: 'actions'}, el('a', {href: '#/diff/' + id, class: 'button-link'},
            t('scan.compare')), ' ', download));
}

function downloadJson(id, report) {
    const blob = new Blob([JSON.stringify(report, null, 2)], {type: 'application/json'});
    const url = URL.createObjectURL(blob);
    const a = el('a', {href: url, download: 'wrench-scan-' + id + '.json'});
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function showProgress(id, status, mine) {
    const bar = el('progress', {max: '1', value: String(Number(status.progress) || 0),
        'aria-labelledby': 'progress-label'});
    const text = el('p', {class: 'progress-text', id: 'progress-text'});
    const live = el('div', {class: 'progress', role: 'status', 'aria-live': 'polite'},
        el('p', {id: 'progress-label', class: 'progress-label'}, t('progress.label')), bar, text);
    show(scanTitle(id), live);
    const update = (s) => {
        bar.value = Math.min(1, Math.max(0, Number(s.progress) || 0));
        const params = {status: tOr('status.' + s.status, String(s.status)),
            percent: formatPercent(s.progress), step: String(s.step || '')};
        text.textContent = s.step ? t('progress.text', params) : t('progress.nostep', params);
    };
    update(status);
    const poll = async () => {
        if (mine !== generation) return;
        let s;
        try {
            s = await api.getStatus(id);
        } catch (err) {
            fail(err, mine);
            return;
        }
        if (mine !== generation) return;
        update(s);
        if (s.status === 'queued' || s.status === 'running') pollTimer = setTimeout(poll, POLL_MS);
        else route(false);
    };
    pollTimer = setTimeout(poll, POLL_MS);
}

async function showDiff(id, mine) {
    let diff;
    try {
        diff = await api.getDiff(id);
    } catch (err) {
        if (!(err instanceof ApiError) || err.status === 401 || err.status === 0) throw err;
        if (mine !== generation) return;
        show(el('h1', {id: 'page-title', tabindex: '-1'}, t('diff.title_to', {to: id})),
            el('p', {class: 'empty'}, t('diff.unavailable', {message: err.message})),
            el('p', {}, el('a', {href: '#/scans/' + id}, t('diff.to_scan', {id}))));
        return;
    }
    if (mine !== generation) return;
    document.title = t('diff.title_to', {to: id}) + ' – wrench';
    show(diffView(id, diff));
}

async function runScan(body) {
    const button = document.getElementById('run-scan');
    button.disabled = true;
    notice(t('run.starting'));
    try {
        const answer = await api.startScan(body && body.thread_dump ? body : undefined);
        const id = scanId(answer && answer.id);
        if (id === null) throw new Error('no id');
        notice(t('run.started', {id}));
        location.hash = '#/scans/' + id;
    } catch (err) {
        if (err instanceof ApiError && err.status === 409) await showRunning();
        else if (err instanceof ApiError && err.status === 401) {
            notice('');
            generation++;
            show(tokenForm());
        } else notice(errorText(err), true);
    } finally {
        button.disabled = false;
    }
}

// A scan is already under way: say so and show its progress when the list names it.
async function showRunning() {
    notice(t('run.busy'), true);
    try {
        const page = await api.listScans();
        const busy = (page.scans || []).find((s) => s.status === 'queued' || s.status === 'running');
        const id = busy ? scanId(busy.id) : null;
        if (id !== null) location.hash = '#/scans/' + id;
    } catch (err) {
        // the notice already says what matters
    }
}

function tokenForm() {
    const input = el('input', {type: 'password', id: 'token-input', autocomplete: 'off',
        spellcheck: 'false', required: true});
    const form = el('form', {class: 'token-form', id: 'token-form'},
        el('h1', {id: 'page-title', tabindex: '-1'}, t('token.title')),
        el('p', {}, t('token.text')),
        getToken() ? el('p', {class: 'error', role: 'alert'}, t('token.refused')) : null,
        el('label', {for: 'token-input'}, t('token.label')), input,
        el('button', {type: 'submit', class: 'primary'}, t('token.save')));
    form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        setToken(input.value.trim());
        updateTokenButton();
        route(true);
    });
    setTimeout(() => input.focus(), 0);
    return form;
}

function updateTokenButton() {
    document.getElementById('forget-token').hidden = !getToken();
}

function buildLanguageSwitch() {
    const box = document.getElementById('lang');
    clear(box);
    box.setAttribute('aria-label', t('lang.label'));
    for (const {code, label} of LANGUAGES) {
        const button = el('button', {type: 'button', lang: code, 'aria-pressed':
            String(code === language()), 'data-lang': code}, label);
        button.addEventListener('click', () => {
            setLanguage(code);
            translateStatic(document);
            buildLanguageSwitch();
            route(false);
        });
        box.appendChild(button);
    }
}

function start() {
    initLanguage();
    translateStatic(document);
    buildLanguageSwitch();
    updateTokenButton();
    document.getElementById('run-scan').addEventListener('click', () => runScan());
    document.addEventListener(RUN_SCAN_EVENT, (ev) => runScan(ev.detail)); // services.js
    document.getElementById('forget-token').addEventListener('click', () => {
        setToken('');
        updateTokenButton();
        route(false);
    });
    window.addEventListener('hashchange', () => {
        notice('');
        route(true);
    });
    route(false);
}

start();
