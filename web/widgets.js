// widgets.js - small building blocks shared by the views: severity labels
// (text, not only colour), sections, key/value lists, expandable details.
import {el} from './dom.js';
import {t, tOr, formatNumber} from './i18n.js';

export const SEVERITIES = ['critical', 'error', 'warning', 'info'];

export function severityRank(sev) {
    const i = SEVERITIES.indexOf(sev);
    return i < 0 ? SEVERITIES.length : i;
}

// Most severe first; the report's own order within one severity.
export function bySeverity(items) {
    return items
        .map((item, i) => ({item, i}))
        .sort((a, b) => severityRank(a.item && a.item.severity) -
            severityRank(b.item && b.item.severity) || a.i - b.i)
        .map((x) => x.item);
}

export function severityLabel(sev) {
    const known = SEVERITIES.includes(sev);
    return el('span', {class: 'sev sev-' + (known ? sev : 'unknown')},
        known ? t('sev.' + sev) : String(sev || t('unknown')));
}

export function statusLabel(status) {
    return el('span', {class: 'status status-' + String(status).replace(/[^a-z-]/g, '')},
        tOr('status.' + status, String(status)));
}

export function section(id, title, count, ...body) {
    const heading = el('h2', {id: id + '-title'}, title,
        count === null ? null : el('span', {class: 'count'}, ' (' + formatNumber(count) + ')'));
    return el('section', {class: 'section', id: id, 'aria-labelledby': id + '-title'}, heading, body);
}

// A <dl> of [label, value] pairs; values that are null or undefined are left out.
export function keyValues(pairs, className) {
    const dl = el('dl', {class: className || 'kv'});
    for (const [label, value] of pairs) {
        if (value === null || value === undefined || value === '') continue;
        dl.appendChild(el('div', {}, el('dt', {}, label), el('dd', {}, value)));
    }
    return dl;
}

// An expandable finding: the summary line carries the severity label and title.
export function finding(sev, title, ...body) {
    return el('details', {class: 'finding'},
        el('summary', {}, severityLabel(sev), ' ', el('span', {class: 'title'}, title)),
        el('div', {class: 'finding-body'}, body));
}

export function pathList(paths, marker) {
    return el('ul', {class: 'paths'}, (paths || []).map((p, i) =>
        el('li', {}, el('code', {}, String(p)), marker ? marker(i) : null)));
}

export function tableWrap(table) {
    return el('div', {class: 'table-wrap', tabindex: '0', role: 'region',
        'aria-label': table.dataset.label || ''}, table);
}

export function table(label, headers, rows) {
    const node = el('table', {},
        el('thead', {}, el('tr', {}, headers.map((h) => el('th', {scope: 'col'}, h)))),
        el('tbody', {}, rows));
    node.dataset.label = label;
    return tableWrap(node);
}

export function emptyNote(text) {
    return el('p', {class: 'empty'}, text || t('none'));
}

// Any JSON value as readable text (for fields the UI does not know).
export function plainText(value) {
    if (value === null || value === undefined) return '—';
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
        return value.map(plainText).join(', ');
    }
    return JSON.stringify(value);
}

const LONG_TEXT = 240;

// Monospace text; a very long one (a whole classpath) opens on demand.
export function longCode(value) {
    const text = value === null || value === undefined ? '' : String(value);
    if (text.length <= LONG_TEXT) return el('code', {}, text);
    return el('details', {class: 'long'},
        el('summary', {}, el('code', {}, text.slice(0, LONG_TEXT) + '…'), ' ',
            el('span', {class: 'more-label'}, t('text.more', {n: formatNumber(text.length)}))),
        el('code', {}, text));
}
