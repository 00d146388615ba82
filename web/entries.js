// entries.js - the classpath entries of each view as a table that a text field
// and a status menu filter in place (rows are hidden, not rebuilt).
import {el} from './dom.js';
import {t, formatNumber, localized} from './i18n.js';
import {section, keyValues, table, emptyNote, statusLabel, longCode} from './widgets.js';

const str = (value) => (value === null || value === undefined ? '' : String(value));
let viewCounter = 0;

export function entriesSection(views) {
    const total = views.reduce((n, v) => n + (Array.isArray(v.entries) ? v.entries.length : 0), 0);
    return section('entries', t('section.entries'), total,
        views.length ? views.map(viewBlock) : emptyNote());
}

function viewBlock(view) {
    const entries = Array.isArray(view.entries) ? view.entries : [];
    const id = 'view-' + (viewCounter++);
    const rows = entries.map(entryRow);
    const shown = el('p', {class: 'shown', 'aria-live': 'polite', id: id + '-shown'});
    const filter = filterForm(id, entries, (match) => {
        let n = 0;
        rows.forEach((row, i) => {
            row.hidden = !match(entries[i]);
            if (!row.hidden) n++;
        });
        shown.textContent = t('entries.shown', {shown: formatNumber(n), total: formatNumber(rows.length)});
    });
    shown.textContent = t('entries.shown', {shown: formatNumber(rows.length),
        total: formatNumber(rows.length)});
    return el('div', {class: 'view'},
        el('h3', {}, t('view.title', {name: str(view.name), kind: str(view.target_kind)})),
        keyValues([[t('view.target'), view.target ? longCode(view.target) : null],
            [t('view.note'), localized(view, 'note') || null]]),
        filter, shown,
        table(t('section.entries'), [t('entries.col.index'), t('entries.col.path'),
            t('entries.col.artifact'), t('entries.col.version'), t('entries.col.evidence'),
            t('entries.col.status'), t('entries.col.classes'), t('entries.col.origin')], rows));
}

function entryRow(e) {
    const a = e.artifact || {};
    const name = a.group && a.name ? a.group + ':' + a.name : str(a.name);
    return el('tr', {class: e.status && e.status !== 'ok' ? 'bad' : null},
        el('td', {class: 'num'}, str(e.index)),
        el('td', {class: 'path'}, str(e.path), e.problem ? el('div', {class: 'problem'}, str(e.problem)) : null),
        el('td', {}, name),
        el('td', {}, str(a.version)),
        el('td', {}, str(a.evidence)),
        el('td', {}, statusLabel(str(e.status))),
        el('td', {class: 'num'}, formatNumber(e.classes)),
        el('td', {}, str(e.origin)));
}

// The text searched by the filter field: everything a reader would look for.
function haystack(e) {
    const a = e.artifact || {};
    return [e.path, e.real_path, e.listed_as, e.origin, e.status, e.problem, a.group, a.name,
        a.version, e.main_class].map(str).join('\n').toLowerCase();
}

function filterForm(id, entries, apply) {
    const statuses = [...new Set(entries.map((e) => str(e.status)))].sort();
    const input = el('input', {type: 'search', id: id + '-filter', class: 'filter',
        placeholder: t('entries.placeholder'), autocomplete: 'off'});
    const select = el('select', {id: id + '-status'},
        el('option', {value: ''}, t('entries.status.all')),
        el('option', {value: '!ok'}, t('entries.status.notok')),
        statuses.map((s) => el('option', {value: s}, s)));
    const update = () => {
        const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        const status = select.value;
        apply((e) => statusMatches(e, status) && words.every((w) => haystack(e).includes(w)));
    };
    input.addEventListener('input', update);
    select.addEventListener('change', update);
    return el('form', {class: 'filters', role: 'search', on: {submit: (ev) => ev.preventDefault()}},
        el('label', {for: id + '-filter'}, t('entries.filter')), input,
        el('label', {for: id + '-status'}, t('entries.status')), select);
}

function statusMatches(e, status) {
    if (!status) return true;
    if (status === '!ok') return e.status !== 'ok';
    return e.status === status;
}
