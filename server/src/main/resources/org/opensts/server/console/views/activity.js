// Activity: the node's audit events (POST /audit/events), newest first, filtered by time, principal, action and error
// code, paged with NextToken; each event expands to its whole CloudTrail-shaped JSON.
import { actionButton, errorBox, field, formatTime, h, replace } from '../dom.js';

/** A datetime-local input's value as an ISO instant (the input shows the browser's local time), or undefined. */
function instant(input) {
    return input.value ? new Date(input.value).toISOString() : undefined;
}

function summary(event) {
    const who = event.userIdentity ? event.userIdentity.arn : 'unsigned';
    const outcome = event.errorCode ? `  error ${event.errorCode}` : '';
    return `${formatTime(event.eventTime)}  ${event.eventName}  ${who}${outcome}`;
}

export async function render(main, ctx) {
    const start = h('input', { type: 'datetime-local', id: 'activity-start', step: 1 });
    const end = h('input', { type: 'datetime-local', id: 'activity-end', step: 1 });
    const principal = h('input', { id: 'activity-principal', autocomplete: 'off', spellcheck: 'false',
        placeholder: 'role/deployer' });
    const eventName = h('input', { id: 'activity-action', autocomplete: 'off', spellcheck: 'false',
        placeholder: 'AssumeRole' });
    const errorCode = h('input', { id: 'activity-error', autocomplete: 'off', spellcheck: 'false',
        placeholder: 'AccessDenied' });
    const list = h('ul', { class: 'events', id: 'activity-events', 'aria-label': 'Audit events' });
    const status = h('p', { class: 'hint', 'aria-live': 'polite', id: 'activity-status' });
    const errors = h('div');
    let nextToken;
    let count = 0;

    const filters = () => ({
        StartTime: instant(start),
        EndTime: instant(end),
        Principal: principal.value.trim() || undefined,
        EventName: eventName.value.trim() || undefined,
        ErrorCode: errorCode.value.trim() || undefined,
        MaxResults: 25,
    });

    const load = async (reset) => {
        if (reset) {
            list.replaceChildren();
            nextToken = undefined;
            count = 0;
        }
        const page = await ctx.api.json('/audit/events', { ...filters(), NextToken: nextToken });
        for (const event of page.Events || []) {
            list.append(h('li', {}, h('details', { class: 'event-row' },
                h('summary', {}, h('span', { class: event.errorCode ? 'warn-text' : null }, summary(event))),
                h('pre', { class: 'event' }, JSON.stringify(event, null, 2)))));
            count += 1;
        }
        nextToken = page.NextToken;
        more.hidden = !nextToken;
        status.textContent = count === 0 ? 'No events match.'
            : `${count} event${count === 1 ? '' : 's'} shown${nextToken ? '; more are available' : ''}.`;
    };

    const more = actionButton('Load more', () => load(false), { kind: 'secondary', errorSlot: errors });
    const form = h('form', { class: 'panel', id: 'activity-filters' },
        h('div', { class: 'toolbar' },
            field('From (local time)', start), field('To (local time)', end),
            field('Principal (part of an ARN or principal ID)', principal), field('Action', eventName),
            field('Error code', errorCode)),
        h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'activity-search' }, 'Search')));
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        errors.replaceChildren();
        try {
            await load(true);
        } catch (error) {
            errors.replaceChildren(errorBox(error));
        }
    });
    replace(main, h('h1', {}, 'Activity'),
        h('p', {}, 'The calls this node answered, from its audit log, newest first. Expand an event to see it whole.'),
        form, errors, status, list, h('div', { class: 'actions' }, more));
    await load(true);
    return null;
}
