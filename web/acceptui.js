// acceptui.js - accepting a finding from the scan page (docs/accept.md). Only where the
// server edits its accept file (GET /api/v1/accept says "writable": wrench serve --accept FILE
// with a token): each counted finding gets an "Accept…" button that asks for the reason and
// adds an entry by the finding's id; a finding accepted by its id gets "Remove acceptance".
// Entries by library, class or rule are left to the file, where they were written.
import {el, clear} from './dom.js';
import {t} from './i18n.js';
import {api} from './api.js';

// Decorate the finding nodes of a rendered report (render.js tags them with data-finding).
// `changed` runs after a successful edit (the page reloads the report, now marked anew);
// `failed` gets a failed request (a 401 there asks for the token).
export async function addAcceptControls(root, changed, failed) {
    let accept;
    try {
        accept = await api.getAccept();
    } catch (err) {
        return; // an older server, or none to edit: the page stays read-only
    }
    if (!accept || accept.writable !== true) return;
    const byId = new Set((Array.isArray(accept.entries) ? accept.entries : [])
        .filter((e) => e && e.by === 'id').map((e) => String(e.value)));
    for (const note of root.querySelectorAll('#accepted .note')) {
        note.textContent = t('accepted.writable', {file: String(accept.file || '')});
    }
    for (const node of root.querySelectorAll('details.finding[data-finding]')) {
        const id = node.dataset.finding;
        const body = node.querySelector('.finding-body');
        if (!body || body.querySelector('.accept-controls')) continue;
        if (node.dataset.counted === 'true') {
            body.append(acceptForm(id, changed, failed));
        } else if (byId.has(id)) {
            body.append(removeButton(id, changed, failed));
        }
    }
}

function acceptForm(id, changed, failed) {
    const box = el('div', {class: 'accept-controls'});
    const open = el('button', {type: 'button', class: 'accept-open'}, t('accept.open'));
    open.addEventListener('click', () => {
        clear(box);
        const reason = el('input', {type: 'text', required: 'required', maxlength: '500',
            class: 'accept-reason', 'aria-label': t('accept.reason')});
        const form = el('form', {class: 'accept-form'},
            el('label', {}, t('accept.reason'), ' ', reason), ' ',
            el('button', {type: 'submit'}, t('accept.submit')), ' ',
            el('button', {type: 'button', class: 'accept-cancel'}, t('accept.cancel')));
        form.querySelector('.accept-cancel').addEventListener('click', () => {
            clear(box);
            box.append(open);
        });
        form.addEventListener('submit', async (event) => {
            event.preventDefault();
            const text = reason.value.trim();
            if (!text) return;
            try {
                await api.addAccept({id, reason: text});
                changed();
            } catch (err) {
                failed(err);
            }
        });
        box.append(form);
        reason.focus();
    });
    box.append(open);
    return box;
}

function removeButton(id, changed, failed) {
    const button = el('button', {type: 'button', class: 'accept-remove'}, t('accept.remove'));
    button.addEventListener('click', async () => {
        try {
            await api.removeAccept({id});
            changed();
        } catch (err) {
            failed(err);
        }
    });
    return el('div', {class: 'accept-controls'}, button);
}
