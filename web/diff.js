// diff.js - what changed between a scan and the previous one of the same
// targets (GET /api/v1/diff?to=ID). Every list in the answer is shown, known or
// not: an item is labelled by its title, else its path, key or identity.
import {el, scanId} from './dom.js';
import {t, tOr} from './i18n.js';
import {severityLabel, section, keyValues, plainText, emptyNote} from './widgets.js';

const LABEL_FIELDS = ['title', 'path', 'key', 'identity', 'name'];

export function diffView(toId, diff) {
    const from = diff && diff.from ? scanId(diff.from.id) : null;
    const to = diff && diff.to ? scanId(diff.to.id) ?? toId : toId;
    const title = from === null ? t('diff.title_to', {to}) : t('diff.title', {from, to});
    const lists = Object.entries(diff || {}).filter(([, value]) => Array.isArray(value));
    const changed = lists.some(([, value]) => value.length);
    return el('div', {class: 'diff'},
        el('h1', {id: 'page-title', tabindex: '-1'}, title),
        el('p', {class: 'links'}, scanLink(from), from === null ? null : ' ', scanLink(to)),
        changed ? null : el('p', {class: 'empty'}, t('diff.nothing')),
        lists.map(([key, items]) => section('diff-' + key.replace(/[^a-z0-9_-]/gi, ''),
            tOr('diff.' + key, key), items.length,
            items.length ? el('ul', {class: 'diff-list'}, items.map(diffItem)) : emptyNote())));
}

function scanLink(id) {
    if (id === null || id === undefined) return null;
    return el('a', {href: '#/scans/' + id}, t('diff.to_scan', {id}));
}

function diffItem(item) {
    if (!item || typeof item !== 'object') return el('li', {}, plainText(item));
    const labelKey = LABEL_FIELDS.find((k) => typeof item[k] === 'string' && item[k]);
    const rest = Object.keys(item).filter((k) => k !== labelKey && k !== 'severity');
    return el('li', {class: 'diff-item'},
        el('p', {class: 'diff-head'}, item.severity ? [severityLabel(item.severity), ' '] : null,
            el('span', {class: 'title'}, labelKey ? item[labelKey] : plainText(item))),
        labelKey ? keyValues(rest.map((k) => [tOr('field.' + k, k), versionText(k, item)]),
            'kv small') : null);
}

// jars_changed items carry "from" and "to" sides: {path, version}.
function versionText(key, item) {
    const value = item[key];
    if (value === null || value === undefined) return null;
    if (Array.isArray(value) && !value.length) return '—';
    if (typeof value === 'object' && !Array.isArray(value) && 'path' in value) {
        return value.version ? `${value.path} (${value.version})` : plainText(value.path);
    }
    return plainText(value);
}
