// history.js - the scan list (GET /api/v1/scans), newest first, with a button
// that fetches older pages.
import {el, scanId} from './dom.js';
import {t, formatTime, formatNumber, language} from './i18n.js';
import {SEVERITIES, statusLabel, table, emptyNote} from './widgets.js';

const str = (value) => (value === null || value === undefined ? '' : String(value));

export function historyView(page, loadMore) {
    const scans = Array.isArray(page && page.scans) ? page.scans : [];
    const rows = scans.map(scanRow);
    const container = el('div', {class: 'history'},
        el('h1', {id: 'page-title', tabindex: '-1'}, t('list.title')));
    if (!rows.length) {
        container.appendChild(emptyNote(t('list.empty')));
        return container;
    }
    const tableNode = table(t('list.title'), [t('list.col.id'), t('list.col.started'),
        t('list.col.status'), t('list.col.findings'), t('list.col.verdict'), t('list.col.targets'),
        t('list.col.compare')], rows);
    container.appendChild(tableNode);
    if (page.next_before !== null && page.next_before !== undefined) {
        const tbody = tableNode.querySelector('tbody');
        const more = el('button', {type: 'button', class: 'more'}, t('list.more'));
        more.addEventListener('click', async () => {
            more.disabled = true;
            const next = await loadMore(page.next_before);
            if (!next) return void (more.disabled = false);
            (next.scans || []).forEach((s) => tbody.appendChild(scanRow(s)));
            page.next_before = next.next_before;
            if (next.next_before === null || next.next_before === undefined) more.remove();
            else more.disabled = false;
        });
        container.appendChild(more);
    }
    return container;
}

function scanRow(scan) {
    const id = scanId(scan.id);
    const link = id === null ? str(scan.id) : el('a', {href: '#/scans/' + id}, '#' + id);
    const diff = id === null ? '' : el('a', {href: '#/diff/' + id,
        'aria-label': t('scan.compare') + ' #' + id}, t('list.compare'));
    return el('tr', {},
        el('td', {}, link),
        el('td', {class: 'nowrap'}, el('time', {datetime: str(scan.started)}, formatTime(scan.started))),
        el('td', {}, statusLabel(str(scan.status))),
        el('td', {}, countsLine(scan.counts || scan.summary || {})),
        el('td', {class: 'verdict-cell'}, clamped((language().startsWith('zh') && scan.verdict_zh)
            || scan.verdict || (scan.summary && scan.summary.verdict))),
        el('td', {class: 'path'}, clamped(scan.targets)),
        el('td', {}, diff));
}

// Long classpaths are cut to three lines; the whole text stays in the tooltip.
function clamped(value) {
    return el('div', {class: 'clamp', title: str(value)}, str(value));
}

// "0 Critical · 2 Error · …": the counts as text, each with its severity's colour.
function countsLine(counts) {
    return el('span', {class: 'mini-counts'}, SEVERITIES.map((sev) =>
        el('span', {class: 'mini sev-text-' + sev + (counts[sev] ? '' : ' zero')},
            formatNumber(counts[sev] || 0) + ' ' + t('sev.' + sev))));
}
