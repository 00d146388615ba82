// services.js - the report's `services` (docs/state.md): is each service up, and if
// not, why. One card per service, first on the scan page: its state as a badge, the
// reason, the ports it declares against those it listens on, its process, crash and
// runit facts, the timeline of its starts (timeline.js), and its thread dump folded by stack (each folded stack once with its
// count, deadlocks first). Only what the report says; every text is untrusted and
// goes in through el() (dom.js). The "Thread dump" button asks app.js (an event) to
// start a scan with {"thread_dump": "all"}, so that the token and busy handling of
// the "Run scan" button apply to it too.
import {el} from './dom.js';
import {t, tOr, formatNumber, language, localized} from './i18n.js';
import {section, keyValues, table, emptyNote} from './widgets.js';
import {startsTimeline} from './timeline.js';

const arr = (value) => (Array.isArray(value) ? value : []);
const str = (value) => (value === null || value === undefined ? '' : String(value));
const num = (value) => (typeof value === 'number' ? value : null);
const STATES = ['up', 'starting', 'hung', 'down', 'crashed', 'unknown'];

// The event app.js listens for: start a scan with this body.
export const RUN_SCAN_EVENT = 'wrench-run-scan';

// Nothing when the scan looked at no service (targets given: no discovery). `report` gives
// the timelines their incidents and the scan's time.
export function servicesSection(services, report) {
    if (!Array.isArray(services) || !services.length) return null;
    const scan = report && report.scan && typeof report.scan === 'object' ? report.scan : {};
    const incidents = arr(report && report.incidents);
    return section('services', t('section.services'), services.length,
        el('p', {class: 'services-actions'}, dumpButton()),
        services.map((svc) => serviceCard(svc, incidents, scan.started)));
}

function dumpButton() {
    return el('button', {type: 'button', id: 'thread-dump-scan', on: {click: (ev) => {
        ev.currentTarget.dispatchEvent(new CustomEvent(RUN_SCAN_EVENT,
            {bubbles: true, detail: {thread_dump: 'all'}}));
    }}}, t('service.dump_button'));
}

// A list in the page's language: its `<key>_zh` (one for each English line) when the page is
// in Chinese and the report has it (evidence, notes).
function localizedList(svc, key) {
    const en = arr(svc[key]);
    const zh = arr(svc[key + '_zh']);
    return language().startsWith('zh') && zh.length === en.length ? zh : en;
}


export function stateBadge(state) {
    const known = STATES.includes(state) ? state : 'unknown';
    return el('span', {class: 'state-badge state-' + known, 'data-state': known},
        tOr('state.' + state, str(state) || t('unknown')));
}

function serviceCard(svc, incidents, scanStarted) {
    svc = svc && typeof svc === 'object' ? svc : {};
    return el('article', {class: 'service-card', 'data-service': str(svc.name)},
        el('h3', {}, stateBadge(svc.state), ' ', el('span', {class: 'service-name'}, str(svc.name)),
            svc.kind ? el('span', {class: 'service-kind'}, ' (' + str(svc.kind) + ')') : null),
        svc.reason ? el('p', {class: 'service-reason'}, str(localized(svc, 'reason'))) : null,
        processFacts(svc.process, svc.pid),
        portsTable(arr(svc.declared_ports), arr(svc.listening)),
        crashFacts(svc.crash),
        runitFacts(svc.runit),
        probeFacts(svc.probe),
        startsTimeline(svc, incidents, scanStarted),
        listBlock('service.evidence', localizedList(svc, 'evidence')),
        listBlock('service.notes', localizedList(svc, 'notes')),
        threadDump(svc.thread_dump));
}

function mib(bytes) {
    return num(bytes) === null ? null : t('service.mib', {n: formatNumber(Math.round(bytes / 1048576 * 10) / 10)});
}

function processFacts(p, pid) {
    if (!p || typeof p !== 'object') return pid ? keyValues([[t('service.pid'), str(pid)]]) : null;
    const of = (a, b) => (a === null ? null : b === null ? a : t('service.of', {a, b}));
    return keyValues([
        [t('service.pid'), str(p.pid)],
        [t('service.uptime'), num(p.uptime_s) === null ? null : t('service.seconds', {n: formatNumber(p.uptime_s)})],
        [t('service.threads'), num(p.threads) === null ? null : formatNumber(p.threads)],
        [t('service.rss'), of(mib(p.rss_bytes), mib(p.memory_limit_bytes))],
        [t('service.files'), of(num(p.open_files) === null ? null : formatNumber(p.open_files),
            num(p.open_files_limit) === null ? null : formatNumber(p.open_files_limit))],
    ], 'kv service-process');
}

// Declared ports (listening or not, with the log finding they join) and the sockets heard.
function portsTable(declared, listening) {
    const yes = (b) => el('span', {class: b ? 'port-ok' : 'port-missing'}, b ? t('service.yes') : t('service.no'));
    return el('div', {class: 'service-ports'},
        el('h4', {}, t('service.declared')),
        declared.length ? table(t('service.declared'),
            [t('service.port'), t('service.what'), t('service.source'), t('service.listening_col')],
            declared.map((d) => el('tr', {class: d.listening ? '' : 'port-down'},
                el('td', {}, str(d.port)), el('td', {}, str(localized(d, 'what'))), el('td', {}, el('code', {}, str(d.source))),
                el('td', {}, yes(d.listening), d.log_finding ? [' — ', str(d.log_finding)] : null))))
            : emptyNote(t('service.no_declared')),
        el('h4', {}, t('service.listening')),
        listening.length ? el('ul', {class: 'paths service-listening'}, listening.map((l) =>
            el('li', {}, el('code', {}, str(l.address) + ':' + str(l.port)),
                l.accept_queue ? ' ' + t('service.queue', {n: formatNumber(l.accept_queue)}) : null,
                l.queue_stuck ? el('strong', {class: 'queue-stuck'}, ' ' + t('service.queue_stuck')) : null)))
            : emptyNote(t('service.no_listening')));
}

function crashFacts(crash) {
    if (!crash || typeof crash !== 'object') return null;
    const facts = crash.hs_err_facts && typeof crash.hs_err_facts === 'object' ? crash.hs_err_facts : {};
    const heapsZh = arr(crash.heap_dumps_zh);
    const heaps = language().startsWith('zh') && heapsZh.length === arr(crash.heap_dumps).length
        ? heapsZh : arr(crash.heap_dumps);
    const pairs = [
        [t('service.last_exit'), crash.last_exit ? str(localized(crash, 'last_exit')) : null],
        [t('service.hs_err'), crash.hs_err ? el('code', {}, str(crash.hs_err)) : null],
        [t('service.error'), facts.error ? str(facts.error) : null],
        [t('service.signal'), facts.signal ? str(facts.signal) : null],
        [t('service.frame'), facts.frame ? el('code', {}, str(facts.frame)) : null],
        [t('service.jre'), facts.jre_version ? str(facts.jre_version) : null],
        [t('service.oom'), facts.oom_detail ? str(facts.oom_detail) : null],
        [t('service.heap_dumps'), heaps.length ? heaps.map((h) => el('code', {}, str(h), ' ')) : null],
    ];
    if (pairs.every(([, v]) => v === null)) return null;
    return keyValues(pairs, 'kv service-crash');
}

function runitFacts(runit) {
    if (!runit || typeof runit !== 'object') return null;
    return keyValues([[t('service.runit'), el('code', {}, str(runit.dir))],
        [t('service.runit_stat'), runit.stat ? str(runit.stat) : null],
        [t('service.since'), num(runit.since_s) === null ? null : t('service.seconds', {n: formatNumber(runit.since_s)})]]);
}

function probeFacts(probe) {
    if (!probe || typeof probe !== 'object') return null;
    return keyValues([[t('service.probe'), el('code', {}, str(probe.url))],
        [t('service.probe_status'), probe.status === null || probe.status === undefined ? str(probe.error) : str(probe.status)],
        [t('service.probe_latency'), num(probe.latency_ms) === null ? null : t('ms', {n: formatNumber(probe.latency_ms)})]]);
}

function listBlock(key, items) {
    if (!items.length) return null;
    return el('div', {class: 'service-list', 'data-list': key}, el('h4', {}, t(key)),
        el('ul', {}, items.map((s) => el('li', {}, str(s)))));
}

// The dump as the report parsed it: its status and summary always, the rest in a <details>.
function threadDump(dump) {
    if (!dump || typeof dump !== 'object') return null;
    const deadlocks = arr(dump.deadlocks);
    const stacks = arr(dump.stacks);
    const blocked = arr(dump.blocked);
    return el('div', {class: 'thread-dump'},
        keyValues([[t('service.dump'), str(localized(dump, 'status'))],
            [t('service.dump_summary'), dump.summary ? str(localized(dump, 'summary')) : null],
            [t('service.dump_threads'), num(dump.threads) === null ? null : formatNumber(dump.threads)]]),
        el('details', {class: 'dump-details', open: deadlocks.length > 0},
            el('summary', {}, t('service.dump_details', {stacks: formatNumber(stacks.length),
                deadlocks: formatNumber(deadlocks.length)})),
            deadlocks.map((chain, i) => el('div', {class: 'deadlock', role: 'note'},
                el('h5', {}, t('service.deadlock', {n: formatNumber(i + 1)})),
                el('ol', {}, arr(chain).map((link) => el('li', {}, el('code', {}, str(link))))))),
            listBlock('service.waits', arr(dump.waits)),
            blocked.length ? el('div', {class: 'dump-blocked'}, el('h5', {}, t('service.blocked')),
                el('ul', {}, blocked.map((b) => el('li', {},
                    t('service.blocked_on', {n: formatNumber(b.count)}), ' ', el('code', {}, str(b.lock)),
                    b.holder ? [' ', t('service.held_by'), ' ', el('code', {}, str(b.holder))] : null)))) : null,
            el('h5', {}, t('service.stacks')),
            stacks.length ? el('ul', {class: 'dump-stacks'}, stacks.map((s) => el('li', {class: 'dump-stack'},
                el('span', {class: 'stack-count'}, '×' + formatNumber(s.count)), ' ',
                el('code', {}, str(s.top_frame)), s.state ? ' (' + str(s.state) + ')' : null,
                arr(s.threads).length ? el('div', {class: 'stack-threads'},
                    arr(s.threads).map(str).join(', ')) : null)))
                : emptyNote(t('service.no_stacks')),
            dump.truncated ? el('p', {class: 'note'}, t('service.truncated')) : null,
            dump.text ? el('details', {class: 'dump-text'}, el('summary', {}, t('service.dump_text')),
                el('pre', {}, str(dump.text))) : null));
}
