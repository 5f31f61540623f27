// Node: what POST /node reports of the node answering: version, region, store, the session-token key ring's age and
// the request rates from its metrics.
import { details, formatTime, h, replace, table } from '../dom.js';

/** "3 d 4 h", "5 h 12 min", "42 s" for a number of seconds. */
export function age(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    if (s >= 86400) {
        return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
    }
    if (s >= 3600) {
        return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
    }
    if (s >= 60) {
        return `${Math.floor(s / 60)} min ${s % 60} s`;
    }
    return `${s} s`;
}

function tile(label, value, id) {
    return h('div', { class: 'tile' }, h('div', { class: 'label' }, label), h('div', { class: 'value', id }, value));
}

export async function render(main, ctx) {
    const node = await ctx.api.json('/node', {});
    const keyRing = node.KeyRing || {};
    const requests = node.Requests || {};
    const byAction = Object.entries(requests.ByAction || {}).sort((a, b) => b[1] - a[1]);
    replace(main,
        h('h1', {}, 'Node'),
        h('div', { class: 'tiles' },
            tile('Requests per second (last minute)', Number(requests.PerSecond1m || 0).toFixed(2), 'node-rate'),
            tile('Requests since start', String(requests.Total ?? ''), 'node-total'),
            tile('Errors since start', String(requests.Errors ?? ''), 'node-errors'),
            tile('Session key age', keyRing.CurrentKeyAgeSeconds === undefined ? ''
                : age(keyRing.CurrentKeyAgeSeconds), 'node-key-age')),
        details([
            ['Version', h('span', { id: 'node-version' }, node.Version)],
            ['Region', node.Region],
            ['Store', node.Store],
            ['Started', formatTime(node.StartedAt)],
            ['Keys in the key ring', String(keyRing.Keys ?? '')],
            ['Current key created', formatTime(keyRing.CurrentKeyCreated)],
        ]),
        byAction.length === 0 ? null : table('Requests by action since start', ['Action', 'Requests'],
            byAction.map(([action, total]) => h('tr', {}, h('td', {}, action), h('td', {}, String(total))))));
    return null;
}
