// render.js - the scan page: the verdict with its evidence, the counts by
// severity, then one section per kind of finding. Reports come from the server
// but their texts are untrusted (file names, class names, log lines): they are
// only ever placed with text nodes (see dom.js).
import {el} from './dom.js';
import {t, formatNumber} from './i18n.js';
import {SEVERITIES, bySeverity, severityRank, severityLabel, section, keyValues, finding,
    pathList, table, emptyNote, plainText} from './widgets.js';
import {entriesSection} from './entries.js';

const arr = (value) => (Array.isArray(value) ? value : []);
const str = (value) => (value === null || value === undefined ? '' : String(value));

export function renderReport(report) {
    return el('div', {class: 'report'},
        verdictPanel(report),
        countsPanel(report.summary || {}),
        logsSection(report.logs),
        hintsSection(arr(report.hints)),
        conflictsSection(arr(report.conflicts)),
        duplicatesSection(arr(report.duplicates)),
        entriesSection(arr(report.views)),
        containerSection(report.container),
        problemsSection(arr(report.problems)));
}

// The logs section may be a list of findings or an object holding one.
function logFindings(logs) {
    if (Array.isArray(logs)) return logs;
    if (logs && typeof logs === 'object') return arr(logs.findings);
    return [];
}

// Every finding of the report with what it takes to show it as evidence.
function allFindings(report) {
    const found = [];
    const add = (kind, items) => items.forEach((item) => found.push({kind, item}));
    add('conflict', arr(report.conflicts));
    add('duplicate', arr(report.duplicates));
    add('hint', arr(report.hints));
    add('log', logFindings(report.logs));
    add('problem', arr(report.problems));
    return found.filter((f) => f.item && typeof f.item === 'object');
}

// The finding the verdict names: one whose title the verdict quotes, else the
// most severe one in the order verdict.c ranks them.
function topFinding(report) {
    const verdict = str(report.summary && report.summary.verdict);
    const found = allFindings(report).filter((f) => severityRank(f.item.severity) < 3);
    const quoted = found.find((f) => f.item.title && verdict.includes(str(f.item.title)));
    if (quoted) return quoted;
    let best = null;
    for (const f of found) {
        if (!best || severityRank(f.item.severity) < severityRank(best.item.severity)) best = f;
    }
    return best;
}

function verdictPanel(report) {
    const summary = report.summary || {};
    const top = topFinding(report);
    return el('section', {class: 'verdict verdict-' + (top ? top.item.severity : 'ok'),
        'aria-labelledby': 'verdict-title', id: 'verdict'},
        el('h2', {id: 'verdict-title'}, t('verdict.title')),
        el('p', {class: 'verdict-text'}, top ? severityLabel(top.item.severity) : null, top ? ' ' : null,
            el('strong', {}, str(summary.verdict) || t('unknown'))),
        top ? evidence(top) : el('p', {}, t('verdict.clean')));
}

function evidence(top) {
    const body = {
        conflict: conflictBody, duplicate: duplicateBody, hint: hintBody,
        log: logBody, problem: problemBody,
    }[top.kind](top.item);
    return el('div', {class: 'evidence'}, el('h3', {}, t('verdict.evidence')), body);
}

function countsPanel(summary) {
    const boxes = SEVERITIES.map((sev) => el('li', {class: 'count-box sev-box-' + sev},
        el('span', {class: 'count-number'}, formatNumber(summary[sev])),
        el('span', {class: 'count-label'}, t('sev.' + sev))));
    return el('section', {class: 'summary', 'aria-labelledby': 'summary-title'},
        el('h2', {id: 'summary-title'}, t('summary.title')),
        el('ul', {class: 'counts'}, boxes),
        keyValues([[t('summary.views'), formatNumber(summary.views)],
            [t('summary.entries'), formatNumber(summary.entries)],
            [t('summary.classes'), formatNumber(summary.classes)]], 'kv inline'));
}

function logsSection(logs) {
    if (logs === undefined || logs === null) return null;
    const findings = bySeverity(logFindings(logs));
    const files = logs && !Array.isArray(logs) ? arr(logs.files) : [];
    const dropped = logs && !Array.isArray(logs) ? logs.dropped_findings : 0;
    return section('logs', t('section.logs'), findings.length,
        findings.length ? findings.map((f) => finding(f.severity, str(f.title || f.rule || f.signature),
            logBody(f))) : emptyNote(),
        dropped ? el('p', {}, t('log.dropped', {n: formatNumber(dropped)})) : null,
        files.length ? genericTable(t('log.files'), files) : null);
}

function logBody(f) {
    const where = f.file ? str(f.file) + (f.line ? ':' + str(f.line) : '') : null;
    return [
        keyValues([
            [t('log.rule'), f.rule || f.rule_id || null],
            [t('log.count'), typeof f.count === 'number' ? formatNumber(f.count) : null],
            [t('log.first'), f.first_seen || null],
            [t('log.last'), f.last_seen || null],
            [t('log.where'), where],
            [t('log.root'), f.root_cause ? el('code', {}, str(f.root_cause)) : null],
            [t('log.hint'), f.hint || null],
        ]),
        f.sample ? el('details', {class: 'sample'},
            el('summary', {}, t('log.sample'), f.truncated ? ' ' + t('log.truncated') : ''),
            el('pre', {}, str(f.sample))) : null,
    ];
}

function hintsSection(hints) {
    return section('hints', t('section.hints'), hints.length,
        hints.length ? bySeverity(hints).map((h) => finding(h.severity, str(h.title), hintBody(h)))
            : emptyNote());
}

function hintBody(h) {
    return [
        keyValues([[t('hint.rule'), h.id ? el('code', {}, str(h.id)) : null],
            [t('hint.text'), h.hint || null]]),
        arr(h.paths).length ? [el('h4', {}, t('hint.jars')), pathList(h.paths)] : null,
    ];
}

function conflictsSection(conflicts) {
    return section('conflicts', t('section.conflicts'), conflicts.length,
        conflicts.length ? bySeverity(conflicts).map((c) => finding(c.severity, str(c.title),
            conflictBody(c))) : emptyNote());
}

function conflictBody(c) {
    const winnerIndex = arr(c.entries).indexOf(c.winner);
    const wins = (i) => (i === winnerIndex && !c.winner_undefined
        ? el('span', {class: 'tag'}, t('conflict.wins')) : null);
    const winner = c.winner_undefined ? t('conflict.undefined')
        : el('code', {}, str(c.winner_path || c.winner));
    const differing = arr(c.differing_classes);
    const more = (c.differing_classes_total || differing.length) - differing.length;
    return [
        el('h4', {}, t('conflict.jars')),
        pathList(c.paths, wins),
        keyValues([[t('conflict.winner'), winner]]),
        el('p', {class: 'counts-line'}, t('conflict.counts', {shared: formatNumber(c.shared),
            identical: formatNumber(c.identical), differing: formatNumber(c.differing),
            unknown: formatNumber(c.unknown)})),
        differing.length ? classList(t('conflict.differing'), differing, more) : null,
        !differing.length && arr(c.sample_classes).length
            ? classList(t('conflict.samples'), c.sample_classes, 0) : null,
    ];
}

function classList(title, names, more) {
    return el('div', {class: 'classes'}, el('h4', {}, title),
        el('ul', {class: 'class-list'}, names.map((n) => el('li', {}, el('code', {}, str(n))))),
        more > 0 ? el('p', {}, t('conflict.more', {n: formatNumber(more)})) : null);
}

function duplicatesSection(dups) {
    return section('duplicates', t('section.duplicates'), dups.length,
        dups.length ? bySeverity(dups).map((d) => finding(d.severity, str(d.title), duplicateBody(d)))
            : emptyNote());
}

function duplicateBody(d) {
    const copies = arr(d.copies).map((c) => el('li', {},
        el('code', {}, str(c.path)), ' — ', c.version ? str(c.version) : t('dup.noversion'),
        c.shaded ? [' ', el('span', {class: 'tag'}, t('dup.shaded'))] : null));
    return [keyValues([[t('dup.key'), el('code', {}, str(d.key))]]),
        el('h4', {}, t('dup.copies')), el('ul', {class: 'paths'}, copies)];
}

function problemsSection(problems) {
    const rows = bySeverity(problems).map((p) => el('tr', {},
        el('td', {}, severityLabel(p.severity)),
        el('td', {class: 'path'}, str(p.path)),
        el('td', {}, str(p.message))));
    return section('problems', t('section.problems'), problems.length,
        problems.length ? table(t('section.problems'),
            [t('problem.severity'), t('problem.path'), t('problem.message')], rows) : emptyNote());
}

function problemBody(p) {
    return keyValues([[t('problem.path'), el('code', {}, str(p.path))],
        [t('problem.message'), str(p.message)]]);
}

// Container facts have no fixed shape yet: nested keys are shown dotted.
function containerSection(container) {
    if (container === undefined || container === null) return null;
    const pairs = [];
    flatten('', container, pairs);
    return section('container', t('section.container'), null,
        pairs.length ? keyValues(pairs.map(([k, v]) => [k, el('code', {}, v)]), 'kv facts')
            : emptyNote(t('container.none')));
}

function flatten(prefix, value, out) {
    const isObject = value && typeof value === 'object';
    const scalarList = Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object');
    if (!isObject || scalarList) {
        out.push([prefix || '—', plainText(value)]);
        return;
    }
    const keys = Array.isArray(value) ? value.map((v, i) => i) : Object.keys(value);
    for (const k of keys) flatten(prefix ? prefix + '.' + k : String(k), value[k], out);
}

// A table of objects whose keys are not known in advance (the log files read).
export function genericTable(label, items) {
    const keys = [];
    for (const item of items) {
        for (const k of Object.keys(item || {})) if (!keys.includes(k)) keys.push(k);
    }
    const rows = items.map((item) => el('tr', {}, keys.map((k) =>
        el('td', {class: k === 'path' ? 'path' : null}, plainText(item ? item[k] : null)))));
    return [el('h3', {}, label), table(label, keys, rows)];
}

