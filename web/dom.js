// dom.js - the one way the UI builds elements. Every text, and above all every
// text that comes from a report (paths, class names, log lines), goes in through
// textContent / createTextNode: never innerHTML, so markup in data stays inert.

// el('a', {class: 'x', href: '#/scans', on: {click: fn}}, 'text', child, [more])
export function el(tag, props, ...children) {
    const node = document.createElement(tag);
    setProps(node, props || {});
    append(node, children);
    return node;
}

function setProps(node, props) {
    for (const [key, value] of Object.entries(props)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === 'class') node.className = value;
        else if (key === 'text') node.textContent = String(value);
        else if (key === 'on') addListeners(node, value);
        else if (key === 'value') node.value = value;
        else if (value === true) node.setAttribute(key, '');
        else node.setAttribute(key, String(value));
    }
}

function addListeners(node, listeners) {
    for (const [event, fn] of Object.entries(listeners)) node.addEventListener(event, fn);
}

// Strings and numbers become text nodes; arrays are flattened; null is skipped.
export function append(parent, children) {
    for (const child of children) {
        if (child === null || child === undefined || child === false) continue;
        if (Array.isArray(child)) append(parent, child);
        else if (child instanceof Node) parent.appendChild(child);
        else parent.appendChild(document.createTextNode(String(child)));
    }
    return parent;
}

export function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
}

// A same-page link for a scan id: only integers make it into an href.
export function scanId(value) {
    const n = Number(value);
    return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

// The last component of a path ("/a/b/guava-31.jar" -> "guava-31.jar", "x.jar!/in.jar" -> "in.jar").
export function baseName(path) {
    if (typeof path !== 'string') return '';
    const parts = path.split(/[/!]/).filter(Boolean);
    return parts.length ? parts[parts.length - 1] : path;
}
