// render.js - the scan page: the verdict and the incidents it names, the
// incidents ranked, the counts by severity, then one section per kind of
// finding. Everything shown is what the report says: the verdict names its
// incidents by id, an incident names its findings by id; nothing is re-derived
// here. Reports come from the server but their texts are untrusted (file
// names, class names, log lines): they are only ever placed with text nodes
// (see dom.js).
import {el} from './dom.js';
import {t, formatNumber, localized} from './i18n.js';
import {SEVERITIES, bySeverity, severityLabel, section, keyValues, finding,
    pathList, table, emptyNote, plainText} from './widgets.js';
import {entriesSection} from './entries.js';
import {servicesSection} from './services.js';
import {conflictClasses} from './conflicts.js';

const arr = (value) => (Array.isArray(value) ? value : []);
const str = (value) => (value === null || value === undefined ? '' : String(value));

export function renderReport(report) {
    const findings = new Map(arr(report.findings).map((f) => [f.id, f]));
    const incidents = new Map(arr(report.incidents).map((i) => [i.id, i]));
    const marks = setAsideMarks(report);
    return el('div', {class: 'report'},
        servicesSection(report.services, report), // docs/state.md: each service's state leads
        verdictPanel(report, incidents, findings),
        incidentsSection(arr(report.incidents), findings),
        countsPanel(report.summary || {}),
        setAsideSection(report),
        logsSection(report.logs, marks),
        hintsSection(arr(report.hints), marks),
        conflictsSection(arr(report.conflicts), marks),
        duplicatesSection(arr(report.duplicates), marks),
        entriesSection(arr(report.views)),
        environmentSection(report.environment, marks),
        problemsSection(arr(report.problems)));
}

// The finding each per-kind item is (by the finding's kind and source index), so that its
// section can tag it with the finding's id and show it greyed when accepted or in the
// baseline (docs/accept.md).
function setAsideMarks(report) {
    const arrays = {log: logFindings(report.logs), conflict: arr(report.conflicts),
        duplicate: arr(report.duplicates), hint: arr(report.hints),
        environment: arr(report.environment && report.environment.findings)};
    const marks = new Map();
    for (const f of arr(report.findings)) {
        const items = arrays[f.kind];
        if (items && items[f.source]) marks.set(items[f.source], f);
    }
    return marks;
}

// A finding node of a section, tagged with its finding's id (acceptui.js adds the accept
// buttons by it), greyed when set aside, with the accept file's reason.
function marked(node, f) {
    if (!f) return node;
    node.dataset.finding = str(f.id);
    node.dataset.counted = f.accepted || f.baseline ? 'false' : 'true';
    if (!f.accepted && !f.baseline) return node;
    node.classList.add('set-aside');
    node.querySelector('summary').append(' ', el('span', {class: 'tag tag-set-aside'},
        f.accepted ? t('accepted.tag') : t('baseline.tag')));
    if (f.accepted) {
        node.querySelector('.finding-body').prepend(keyValues([[t('accepted.reason'),
            str(f.accepted_reason)]]));
    }
    return node;
}

// What the accept file and the baseline set aside: listed, read-only (the file is edited,
// not the page), never counted.
function setAsideSection(report) {
    const aside = report.set_aside || {};
    const accepted = arr(report.findings).filter((f) => f.accepted && f.kind !== 'correlation');
    if (!accepted.length && !aside.baseline) return null;
    return section('accepted', t('section.accepted'), accepted.length,
        el('p', {class: 'note'}, t('accepted.readonly',
            {file: str(aside.accept_file || '.wrench-accept.json')})),
        accepted.map((f) => marked(finding(f.severity, str(localized(f, 'title')),
            keyValues([[t('accepted.kind'), str(f.kind)], [t('accepted.id'),
                el('code', {}, str(f.id))]])), f)),
        aside.baseline ? el('p', {class: 'baseline-note'}, t('baseline.note',
            {n: formatNumber(aside.baseline), scan: str(aside.baseline_scan)})) : null);
}

// The logs section may be a list of findings or an object holding one.
function logFindings(logs) {
    if (Array.isArray(logs)) return logs;
    if (logs && typeof logs === 'object') return arr(logs.findings);
    return [];
}

// The verdict as the report words it, with the evidence of the incidents it names.
function verdictPanel(report, incidents, findings) {
    const verdict = report.verdict || {};
    const text = str(localized(verdict, 'text') || (report.summary && report.summary.verdict));
    const named = arr(verdict.incidents).map((id) => incidents.get(id)).filter(Boolean);
    const top = named[0];
    return el('section', {class: 'verdict verdict-' + (top ? top.severity : 'ok'),
        'aria-labelledby': 'verdict-title', id: 'verdict'},
        el('h2', {id: 'verdict-title'}, t('verdict.title')),
        el('p', {class: 'verdict-text'}, top ? severityLabel(top.severity) : null, top ? ' ' : null,
            el('strong', {}, text || t('unknown'))),
        named.length ? el('div', {class: 'evidence'}, el('h3', {}, t('verdict.evidence')),
            named.map((inc) => el('div', {class: 'verdict-incident', 'data-incident': str(inc.id)},
                named.length > 1 ? el('h4', {}, str(localized(inc, 'what'))) : null,
                incidentBody(inc, findings))))
            : el('p', {}, t('verdict.clean')));
}

// Incidents, in the report's rank: what failed and why, then its findings' evidence.
function incidentsSection(incidents, findings) {
    return section('incidents', t('section.incidents'), incidents.length,
        incidents.length ? incidents.map((inc) => {
            const node = finding(inc.severity, str(localized(inc, 'what')) + t('incident.sep')
                + str(localized(inc, 'cause_text')),
                incidentBody(inc, findings));
            node.dataset.incident = str(inc.id);
            return node;
        }) : emptyNote());
}

function incidentBody(inc, findings) {
    const members = arr(inc.findings).map((id) => findings.get(id)).filter(Boolean);
    return [
        keyValues([[t('incident.what'), str(localized(inc, 'what'))], [t('incident.impact'), inc.impact && inc.impact !== 'none' ? str(inc.impact) : null],
            [t('incident.cause'), str(localized(inc, 'cause_text'))], [t('incident.hint'), localized(inc, 'hint') || null]]),
        el('ul', {class: 'incident-findings'}, members.map((f) => el('li', {'data-finding': str(f.id)},
            severityLabel(f.severity), ' ', el('span', {class: 'title'}, str(localized(f, 'title'))),
            f.detail ? [' — ', el('code', {}, str(f.detail))] : null,
            evidenceList(arr(f.evidence))))),
    ];
}

// A finding's evidence as the report lists it: log records, entries, classes, files.
function evidenceList(evidence) {
    if (!evidence.length) return null;
    return el('ul', {class: 'paths'}, evidence.map((e) => {
        const where = str(e.path) + (e.line ? ':' + str(e.line) : '');
        switch (e.kind) {
        case 'class':
            return el('li', {}, t('evidence.class'), ' ', el('code', {}, str(e.detail)));
        case 'entry':
            return el('li', {}, el('code', {}, where), e.detail ? ' — ' + str(localized(e, 'detail')) : null);
        default:
            return el('li', {}, el('code', {}, where), e.detail ? ' (' + str(e.detail) + ')' : null);
        }
    }));
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

function logsSection(logs, marks) {
    if (logs === undefined || logs === null) return null;
    const findings = bySeverity(logFindings(logs));
    const files = logs && !Array.isArray(logs) ? arr(logs.files) : [];
    const dropped = logs && !Array.isArray(logs) ? logs.dropped_findings : 0;
    return section('logs', t('section.logs'), findings.length,
        findings.length ? findings.map((f) => marked(finding(f.severity,
            str(localized(f, 'title') || f.rule || f.signature), logBody(f)), marks.get(f))) : emptyNote(),
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
            [t('log.hint'), localized(f, 'hint') || null],
        ]),
        f.sample ? el('details', {class: 'sample'},
            el('summary', {}, t('log.sample'), f.truncated ? ' ' + t('log.truncated') : ''),
            el('pre', {}, str(f.sample))) : null,
    ];
}

function hintsSection(hints, marks) {
    return section('hints', t('section.hints'), hints.length,
        hints.length ? bySeverity(hints).map((h) => marked(finding(h.severity, str(localized(h, 'title')),
            hintBody(h)), marks.get(h))) : emptyNote());
}

function hintBody(h) {
    return [
        keyValues([[t('hint.rule'), h.id ? el('code', {}, str(h.id)) : null],
            [t('hint.text'), localized(h, 'hint') || null]]),
        arr(h.paths).length ? [el('h4', {}, t('hint.jars')), pathList(h.paths)] : null,
    ];
}

function conflictsSection(conflicts, marks) {
    return section('conflicts', t('section.conflicts'), conflicts.length,
        conflicts.length ? bySeverity(conflicts).map((c) => marked(finding(c.severity,
            str(localized(c, 'title')), conflictBody(c)), marks.get(c))) : emptyNote());
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
        conflictClasses(c) || [differing.length ? classList(t('conflict.differing'), differing,
            more) : null, !differing.length && arr(c.sample_classes).length
            ? classList(t('conflict.samples'), c.sample_classes, 0) : null],
    ];
}

function classList(title, names, more) {
    return el('div', {class: 'classes'}, el('h4', {}, title),
        el('ul', {class: 'class-list'}, names.map((n) => el('li', {}, el('code', {}, str(n))))),
        more > 0 ? el('p', {}, t('conflict.more', {n: formatNumber(more)})) : null);
}

function duplicatesSection(dups, marks) {
    return section('duplicates', t('section.duplicates'), dups.length,
        dups.length ? bySeverity(dups).map((d) => marked(finding(d.severity, str(localized(d, 'title')),
            duplicateBody(d)), marks.get(d))) : emptyNote());
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
        el('td', {}, str(localized(p, 'message')))));
    return section('problems', t('section.problems'), problems.length,
        problems.length ? table(t('section.problems'),
            [t('problem.severity'), t('problem.path'), t('problem.message')], rows) : emptyNote());
}

function problemBody(p) {
    return keyValues([[t('problem.path'), el('code', {}, str(p.path))],
        [t('problem.message'), str(localized(p, 'message'))]]);
}

// The container's and the JVMs' facts, and the findings about them.
function environmentSection(environment, marks) {
    if (!environment || typeof environment !== 'object') return null;
    const facts = arr(environment.facts);
    const found = bySeverity(arr(environment.findings));
    if (!facts.length && !found.length) return null;
    return section('container', t('section.container'), found.length,
        facts.length ? keyValues(facts.map((f) => [str(localized(f, 'name')), el('code', {}, plainText(localized(f, 'value')))]),
            'kv facts') : null,
        found.map((f) => marked(finding(f.severity, str(localized(f, 'title')),
            keyValues([[t('hint.rule'), f.id ? el('code', {}, str(f.id)) : null],
                [t('problem.message'), localized(f, 'detail') || null]])), marks.get(f))));
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

