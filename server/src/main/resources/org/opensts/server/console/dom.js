// Building the page without HTML strings: every text goes in through textContent, so nothing an API returns is ever
// parsed as markup, and the page needs neither inline scripts nor inline styles (the console's CSP allows none).

/**
 * h('button', {type: 'button', class: 'primary', onClick: fn}, 'Save'): an element with its attributes, event
 * handlers (on + event name) and children (strings become text nodes; null and false are skipped).
 */
export function h(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
        if (value === null || value === undefined || value === false) {
            continue;
        }
        if (name.startsWith('on') && typeof value === 'function') {
            element.addEventListener(name.slice(2).toLowerCase(), value);
        } else if (name === 'class') {
            element.className = value;
        } else if (name === 'value' || name === 'checked' || name === 'selected') {
            element[name] = value;
        } else {
            element.setAttribute(name, value === true ? '' : String(value));
        }
    }
    append(element, children);
    return element;
}

function append(element, children) {
    for (const child of children.flat(Infinity)) {
        if (child === null || child === undefined || child === false) {
            continue;
        }
        element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
}

/** Replaces the children of `element`. */
export function replace(element, ...children) {
    element.replaceChildren();
    append(element, children);
    return element;
}

let idCounter = 0;

/** A fresh id for pairing a label with its control. */
export function uid(prefix) {
    idCounter += 1;
    return `${prefix}-${idCounter}`;
}

/** A labelled form control: {label, control, hint?} laid out as one field. */
export function field(label, control, hint) {
    if (!control.id) {
        control.id = uid('field');
    }
    const hintElement = hint ? h('p', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
    if (hintElement) {
        control.setAttribute('aria-describedby', hintElement.id);
    }
    return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintElement);
}

/** An AWS error (or any failure) as the page shows it: the code and the message, announced to screen readers. */
export function errorBox(error) {
    const code = error && error.code ? error.code : 'Error';
    const message = error && error.message ? error.message : String(error);
    return h('div', { class: 'error', role: 'alert' }, h('strong', { class: 'error-code' }, code), ' ', message);
}

export function notice(text) {
    return h('div', { class: 'notice', role: 'status' }, text);
}

/** A definition list of [term, description] pairs, descriptions being text or nodes. */
export function details(pairs) {
    return h('dl', { class: 'details' }, pairs.filter(([, value]) => value !== undefined && value !== null)
        .map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

/** A table with a caption, column headings and rows of cells (text or nodes). */
export function table(caption, headings, rows) {
    return h('div', { class: 'table-wrap' }, h('table', {},
        h('caption', {}, caption),
        h('thead', {}, h('tr', {}, headings.map((heading) => h('th', { scope: 'col' }, heading)))),
        h('tbody', {}, rows)));
}

/**
 * A modal confirmation on the native <dialog> (focus moves into it and Escape cancels); resolves to true when the
 * user confirms.
 */
export function confirmDialog(title, message, confirmLabel) {
    return new Promise((resolve) => {
        const cancel = h('button', { type: 'button', class: 'secondary', value: 'cancel' }, 'Cancel');
        const confirm = h('button', { type: 'button', class: 'danger', value: 'confirm' }, confirmLabel);
        const titleId = uid('dialog-title');
        const dialog = h('dialog', { 'aria-labelledby': titleId },
            h('h2', { id: titleId }, title), h('p', {}, message), h('div', { class: 'actions' }, cancel, confirm));
        const close = (answer) => {
            dialog.close();
            dialog.remove();
            resolve(answer);
        };
        cancel.addEventListener('click', () => close(false));
        confirm.addEventListener('click', () => close(true));
        dialog.addEventListener('cancel', (event) => {
            event.preventDefault();
            close(false);
        });
        document.body.append(dialog);
        dialog.showModal();
        cancel.focus();
    });
}

/** A button that shows it is busy while `action` runs, and the error it threw in `errorSlot`. */
export function actionButton(label, action, { kind = 'primary', errorSlot } = {}) {
    const button = h('button', { type: 'button', class: kind }, label);
    button.addEventListener('click', async () => {
        button.disabled = true;
        button.setAttribute('aria-busy', 'true');
        if (errorSlot) {
            errorSlot.replaceChildren();
        }
        try {
            await action();
        } catch (error) {
            if (errorSlot) {
                errorSlot.replaceChildren(errorBox(error));
            } else {
                throw error;
            }
        } finally {
            button.disabled = false;
            button.removeAttribute('aria-busy');
        }
    });
    return button;
}

export function formatTime(value) {
    if (!value) {
        return '';
    }
    const date = value instanceof Date ? value : new Date(value);
    return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace('.000Z', 'Z');
}
