// Policy text with parts of it marked: validation findings while editing, matched statements in the simulator.
import { errorBox, h, replace, uid } from './dom.js';

/** The offset in `text` of a 1-based line and 1-based column (the simulator's StartPosition/EndPosition). */
export function offsetOf(text, line, column) {
    let offset = 0;
    for (let current = 1; current < line; current += 1) {
        const next = text.indexOf('\n', offset);
        if (next < 0) {
            return text.length;
        }
        offset = next + 1;
    }
    return Math.min(text.length, offset + Math.max(0, column - 1));
}

/**
 * Fills `pre` with `text`, each range {start, end, className, label} wrapped in a <mark> (overlapping ranges are
 * clipped to the first). Returns the marks, in text order.
 */
export function highlight(pre, text, ranges) {
    const sorted = ranges.filter((range) => range.end > range.start || range.end === range.start)
        .map((range) => ({ ...range, end: Math.max(range.end, Math.min(text.length, range.start + 1)) }))
        .sort((a, b) => a.start - b.start);
    const nodes = [];
    const marks = [];
    let cursor = 0;
    for (const range of sorted) {
        const start = Math.max(cursor, range.start);
        if (start >= range.end) {
            continue;
        }
        nodes.push(text.slice(cursor, start));
        const mark = h('mark', { class: range.className || null, title: range.label || null }, text.slice(start,
            range.end));
        marks.push(mark);
        nodes.push(mark);
        cursor = range.end;
    }
    nodes.push(text.slice(cursor));
    replace(pre, nodes);
    return marks;
}

const VALIDATION_DELAY_MS = 400;

function plural(count, noun) {
    return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * A policy editor: a textarea validated as you type through POST /policy/validation, with the findings listed
 * (each a button that selects its span in the textarea) and marked in a read-only copy of the text below.
 */
export function policyEditor(ctx, { label, text, policyType, hint }) {
    const id = uid('policy');
    const textarea = h('textarea', {
        id, class: 'code', spellcheck: 'false', autocomplete: 'off', rows: 16, 'aria-describedby': `${id}-status`,
    });
    textarea.value = text;
    const status = h('p', { id: `${id}-status`, class: 'hint', 'aria-live': 'polite' });
    const findingsList = h('ul', { class: 'findings', 'aria-label': 'Validation findings' });
    const preview = h('pre', { class: 'policy', 'aria-label': 'Policy with findings marked' });
    let timer = null;
    let generation = 0;
    let findings = [];

    const select = (range) => {
        textarea.focus();
        textarea.setSelectionRange(range.start, range.end);
    };

    const validate = async () => {
        generation += 1;
        const mine = generation;
        const current = textarea.value;
        status.textContent = 'Validating…';
        try {
            const answer = await ctx.api.json('/policy/validation', { policyDocument: current, policyType });
            if (mine !== generation) {
                return;
            }
            // Positions as Access Analyzer gives them: line from 1, column and offset from 0; a finding about the
            // policy as a whole (a missing Principal) has no location.
            findings = (answer.findings || []).map((finding) => {
                const span = finding.locations && finding.locations[0] && finding.locations[0].span;
                return span
                    ? { ...finding, start: span.start.offset, end: span.end.offset, line: span.start.line,
                        column: span.start.column + 1 }
                    : { ...finding, start: null };
            });
            const errors = findings.filter((finding) => finding.findingType === 'ERROR').length;
            status.textContent = findings.length === 0 ? 'Valid: no findings.'
                : `${plural(findings.length, 'finding')}, ${plural(errors, 'error')}.`;
            textarea.setAttribute('aria-invalid', errors > 0 ? 'true' : 'false');
            replace(findingsList, findings.map((finding) => h('li', { class: `finding-${finding.findingType}` },
                finding.start === null ? 'The whole policy:' : h('button', {
                    type: 'button', class: 'link', onClick: () => select(finding),
                }, `Line ${finding.line}, column ${finding.column}`),
                ` ${finding.findingType} ${finding.issueCode}: ${finding.findingDetails}`)));
            highlight(preview, current, findings.filter((finding) => finding.start !== null).map((finding) => ({
                start: finding.start, end: finding.end, label: `${finding.issueCode}: ${finding.findingDetails}`,
                className: finding.findingType === 'ERROR' ? 'finding-error' : null,
            })));
        } catch (error) {
            if (mine === generation) {
                status.textContent = 'Could not validate.';
                replace(findingsList, h('li', {}, errorBox(error)));
                replace(preview, current);
            }
        }
    };

    textarea.addEventListener('input', () => {
        clearTimeout(timer);
        timer = setTimeout(validate, VALIDATION_DELAY_MS);
    });
    validate();

    const element = h('div', { class: 'policy-editor' },
        h('label', { for: id, class: 'editor-label' }, label),
        hint ? h('p', { class: 'hint' }, hint) : null,
        textarea, status, findingsList, preview);
    return {
        element,
        value: () => textarea.value,
        findings: () => findings,
        textarea,
    };
}
