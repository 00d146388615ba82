// timeline.js - a service's starts on one line (docs/state.md, `services[].starts`), so that
// a person sees at a glance "it started four times, the last start has been hanging for 20
// minutes": each start where its log's start marker puts it, drawn up to its start-finished
// marker, or (a start that never finished) up to the next start or the scan; the scan's
// incidents placed at their first time (`incidents[].first_seen_ms`) when it falls on the
// line. Below it the same starts as a list, in words. Only what the report says; every text
// goes in through el() (dom.js), positions through the CSSOM (the page allows no inline
// style attribute: style-src 'self').
import {el} from './dom.js';
import {t, formatNumber, formatTime} from './i18n.js';

const arr = (value) => (Array.isArray(value) ? value : []);
const num = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

// "40 s", "20 min", "3 h", "2 days" for a span in milliseconds.
function span(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 120) return t('timeline.s', {n: formatNumber(s)});
    if (s < 7200) return t('timeline.min', {n: formatNumber(Math.floor(s / 60))});
    if (s < 172800) return t('timeline.h', {n: formatNumber(Math.floor(s / 3600))});
    return t('timeline.days', {n: formatNumber(Math.floor(s / 86400))});
}

function when(ms) {
    return formatTime(new Date(ms).toISOString());
}

// What became of start `i`: finished (in how long), or not, and for the last one why not.
function outcome(start, i, starts, svc, scanMs) {
    if (start.finished) {
        const took = num(start.took_ms);
        return took !== null ? t('timeline.took', {s: formatNumber(Math.round(took / 100) / 10)})
            : t('timeline.finished');
    }
    if (i < starts.length - 1) return t('timeline.unfinished');
    const since = num(start.at_ms) !== null && scanMs !== null ? span(scanMs - start.at_ms) : '?';
    if (svc.state === 'hung') return t('timeline.hanging', {ago: since});
    if (svc.state === 'starting') return t('timeline.starting', {ago: since});
    if (svc.pid) return t('timeline.open', {ago: since});
    return t('timeline.gone', {ago: since});
}

function place(node, lo, width, from, to) {
    node.style.left = ((from - lo) / width * 100).toFixed(3) + '%';
    if (to !== undefined) node.style.width = Math.max(0.4, (to - from) / width * 100).toFixed(3) + '%';
    return node;
}

// The line itself: only when every start has a time.
function line(starts, incidents, scanMs, outcomes) {
    const times = starts.map((s) => num(s.at_ms));
    if (times.some((x) => x === null)) return null;
    const lo = times[0];
    let hi = Math.max(scanMs ?? lo, ...starts.map((s) => num(s.finished_ms) ?? lo));
    const shown = incidents.filter((inc) => num(inc.first_seen_ms) !== null &&
        inc.first_seen_ms >= lo && (scanMs === null || inc.first_seen_ms <= scanMs));
    hi = Math.max(hi, ...shown.map((inc) => inc.first_seen_ms));
    const width = Math.max(1, hi - lo);
    const bar = el('div', {class: 'timeline', role: 'img', 'aria-label': t('timeline.aria')},
        el('div', {class: 'tl-axis'}));
    starts.forEach((s, i) => {
        const open = !s.finished;
        const end = open ? (i < starts.length - 1 ? times[i + 1] : hi) : (num(s.finished_ms) ?? s.at_ms);
        bar.appendChild(place(el('div', {class: 'tl-start ' + (open ? 'tl-open' : 'tl-finished'),
            'data-start': String(i + 1), title: t('timeline.start', {i: formatNumber(i + 1),
                time: when(s.at_ms)}) + ': ' + outcomes[i]}), lo, width, s.at_ms, end));
    });
    for (const inc of shown) {
        bar.appendChild(place(el('div', {class: 'tl-incident tl-sev-' + String(inc.severity || ''),
            'data-incident': String(inc.id || ''),
            title: t('timeline.incident', {what: String(inc.what || ''), time: when(inc.first_seen_ms)})}),
        lo, width, inc.first_seen_ms));
    }
    return el('div', {class: 'timeline-wrap'}, bar,
        el('div', {class: 'tl-scale'}, el('span', {}, when(lo)), el('span', {}, when(hi))));
}

// The timeline of one service; null when its logs record no start.
export function startsTimeline(svc, incidents, scanStarted) {
    const starts = arr(svc.starts).filter((s) => s && typeof s === 'object');
    if (!starts.length) return null;
    const total = Math.max(num(svc.starts_total) ?? 0, starts.length);
    const parsed = Date.parse(scanStarted);
    const scanMs = Number.isNaN(parsed) ? null : parsed;
    const outcomes = starts.map((s, i) => outcome(s, i, starts, svc, scanMs));
    const last = starts[starts.length - 1];
    const summary = last.finished ? t('timeline.summary_done', {n: formatNumber(total)})
        : t('timeline.summary_open', {n: formatNumber(total), outcome: outcomes[starts.length - 1]});
    return el('div', {class: 'service-timeline'},
        el('h4', {}, t('timeline.title', {n: formatNumber(total)})),
        el('p', {class: 'tl-summary'}, summary),
        line(starts, arr(incidents), scanMs, outcomes),
        total > starts.length ? el('p', {class: 'note'}, t('timeline.newest',
            {n: formatNumber(starts.length), total: formatNumber(total)})) : null,
        el('ol', {class: 'tl-list'}, starts.map((s, i) => el('li', {class: s.finished ? '' : 'tl-list-open'},
            num(s.at_ms) !== null ? when(s.at_ms) : el('code', {}, String(s.file || '') + ':' + String(s.line ?? '')),
            ' — ', outcomes[i]))));
}
