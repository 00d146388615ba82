// conflicts.js - a conflict's every shared class (the report's class_copies and
// identical_classes), paged: a conflict of 100,000 classes renders one page of rows at a
// time, never all of them. Differing classes come first, with each copy's CRC-32 and size
// per jar (in loader order, as `paths`).
import {el} from './dom.js';
import {t, formatNumber} from './i18n.js';

export const CLASSES_PER_PAGE = 50;

const arr = (v) => (Array.isArray(v) ? v : []);
const hex = (crc) => (crc === null || crc === undefined ? '?'
    : Number(crc).toString(16).padStart(8, '0'));

// One row per class: {name, copies} (copies null for an identical class).
function classRows(c) {
    return arr(c.class_copies).map((k) => ({name: String(k.class), copies: k}))
        .concat(arr(c.identical_classes).map((n) => ({name: String(n), copies: null})));
}

function copiesText(k) {
    const sizes = arr(k.size);
    return arr(k.crc).map((crc, i) => `${hex(crc)}/${formatNumber(sizes[i] ?? 0)}`).join(' · ');
}

function rowNode(row) {
    return el('li', {}, el('code', {}, row.name), ' ',
        row.copies ? el('span', {class: 'copies', title: t('conflict.copiesTitle')},
            copiesText(row.copies))
            : el('span', {class: 'tag'}, t('conflict.identicalTag')));
}

// The paged list of a conflict's shared classes; null for a report without them (a scan
// stored before they were kept), where the caller shows its old lists.
export function conflictClasses(c) {
    const rows = classRows(c);
    if (!rows.length) return null;
    const pages = Math.ceil(rows.length / CLASSES_PER_PAGE);
    const list = el('ul', {class: 'class-list'});
    const status = el('span', {class: 'page-status'});
    const prev = el('button', {type: 'button', class: 'page-prev'}, t('conflict.prev'));
    const next = el('button', {type: 'button', class: 'page-next'}, t('conflict.next'));
    let page = 0;
    const show = () => {
        const from = page * CLASSES_PER_PAGE;
        const to = Math.min(rows.length, from + CLASSES_PER_PAGE);
        list.replaceChildren(...rows.slice(from, to).map(rowNode));
        status.textContent = t('conflict.page', {from: formatNumber(from + 1),
            to: formatNumber(to), n: formatNumber(rows.length)});
        prev.disabled = page === 0;
        next.disabled = page >= pages - 1;
    };
    prev.addEventListener('click', () => { if (page > 0) { page--; show(); } });
    next.addEventListener('click', () => { if (page < pages - 1) { page++; show(); } });
    show();
    return el('div', {class: 'classes conflict-classes'}, el('h4', {}, t('conflict.classes')),
        list,
        pages > 1 ? el('div', {class: 'pager'}, prev, ' ', status, ' ', next) : status,
        c.classes_truncated ? el('p', {}, t('conflict.truncated')) : null);
}
