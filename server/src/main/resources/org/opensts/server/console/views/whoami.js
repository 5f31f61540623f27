// Who am I: GetCallerIdentity, the session's expiry with a countdown, and the session's tags and source identity.
// No STS or IAM API returns a session's tags or source identity to the session itself; they are in the audit event
// of the call that issued the credentials (its requestParameters), which this view looks up through /audit/events
// when the principal may read it.
import { childText } from '../aws.js';
import { details, errorBox, formatTime, h, notice, replace, table } from '../dom.js';

const ISSUING_ACTIONS = ['AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML', 'GetFederationToken',
    'GetSessionToken'];

function principalType(arn) {
    if (/:assumed-role\//.test(arn)) {
        return 'Role session';
    }
    if (/:federated-user\//.test(arn)) {
        return 'Federated user';
    }
    if (/:root$/.test(arn)) {
        return 'Account root';
    }
    return 'IAM user';
}

/** "1 h 02 min 05 s" for a number of milliseconds. */
export function remaining(ms) {
    if (ms <= 0) {
        return 'expired';
    }
    const seconds = Math.floor(ms / 1000);
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    return `${h > 0 ? `${h} h ` : ''}${String(m).padStart(h > 0 ? 2 : 1, '0')} min ${String(s).padStart(2, '0')} s`;
}

/**
 * The audit event that issued `accessKeyId`, searched among `eventNames` in the credentials' lifetime (36 hours, the
 * longest any has, before their expiration).
 */
async function issuingEvent(api, accessKeyId, expiration, eventNames = ISSUING_ACTIONS) {
    const end = new Date();
    const start = new Date((expiration ? Date.parse(expiration) : end.getTime()) - 36 * 3600 * 1000);
    for (const eventName of eventNames) {
        let nextToken;
        let pages = 0;
        do {
            const page = await api.json('/audit/events', {
                StartTime: start.toISOString(), EndTime: end.toISOString(), EventName: eventName,
                MaxResults: 50, NextToken: nextToken,
            });
            const found = (page.Events || []).find((event) => event.responseElements
                && event.responseElements.credentials
                && event.responseElements.credentials.accessKeyId === accessKeyId);
            if (found) {
                return found;
            }
            nextToken = page.NextToken;
            pages += 1;
        } while (nextToken && pages < 10);
    }
    return null;
}

/**
 * The audit events behind the session: a federated sign-in's console credentials were issued by its ConsoleLogin
 * (which names them), on behalf of the broker's credentials (its user identity's access key), which an STS call issued
 * with the session's tags and source identity. Credentials signed in with directly have no login event.
 */
async function sessionEvents(api, session) {
    let login = null;
    let accessKeyId = session.accessKeyId;
    if (session.via === 'federation') {
        login = await issuingEvent(api, accessKeyId, session.expiration, ['ConsoleLogin']);
        if (login && login.userIdentity && login.userIdentity.accessKeyId) {
            accessKeyId = login.userIdentity.accessKeyId;
        }
    }
    return { login, event: await issuingEvent(api, accessKeyId, session.expiration) };
}

export async function render(main, ctx) {
    const session = ctx.session();
    const result = await ctx.api.sts('GetCallerIdentity');
    const arn = childText(result, 'Arn');
    const temporary = Boolean(session.sessionToken);
    const countdown = h('span', { class: 'countdown', id: 'expiry-countdown' });
    const sessionInfo = h('section', { 'aria-labelledby': 'session-heading' },
        h('h2', { id: 'session-heading' }, 'Session'));
    const issued = h('div', { id: 'session-issue' });

    replace(main,
        h('h1', {}, 'Who am I'),
        details([
            ['Account', childText(result, 'Account')],
            ['User ID', childText(result, 'UserId')],
            ['ARN', h('code', { id: 'caller-arn' }, arn)],
            ['Principal', principalType(arn)],
            ['Access key ID', h('code', {}, session.accessKeyId)],
            ['Signed in with', session.via === 'federation' ? 'the federation endpoint' : 'an access key'],
            ['Identity broker', session.issuer],
            ['Region', session.region],
        ]),
        sessionInfo);

    let timer = null;
    if (temporary && session.expiration) {
        const expiresAt = Date.parse(session.expiration);
        const tick = () => {
            // By the node's clock, as the rest of the page judges expiry: a browser clock ahead would end it early.
            const left = expiresAt - ctx.api.now();
            countdown.textContent = remaining(left);
            if (left <= 0) {
                clearInterval(timer);
                ctx.sessionEnded();
            }
        };
        tick();
        timer = setInterval(tick, 1000);
        sessionInfo.append(details([
            ['Credentials', 'Temporary (session token)'],
            ['Expires', formatTime(session.expiration)],
            ['Time left', countdown],
        ]));
    } else if (temporary) {
        sessionInfo.append(details([['Credentials', 'Temporary (session token); expiry not known to the console']]));
    } else {
        sessionInfo.append(details([['Credentials', 'Long-term access key: it does not expire']]));
    }
    sessionInfo.append(issued);

    if (temporary) {
        replace(issued, h('p', { class: 'loading' }, 'Looking up the call that issued this session…'));
        sessionEvents(ctx.api, session).then(({ login, event }) => {
            if (!event) {
                replace(issued, notice('The audit log holds no call that issued these credentials in their '
                    + 'lifetime, so their tags and source identity are not known.'));
                return;
            }
            const parameters = event.requestParameters || {};
            const tags = parameters.tags || [];
            replace(issued,
                details([
                    ['Console sign-in', login ? `ConsoleLogin at ${formatTime(login.eventTime)}, with the `
                        + `credentials ${login.userIdentity.accessKeyId}` : undefined],
                    ['Issued by', `${event.eventName} at ${formatTime(event.eventTime)}`],
                    ['Issued to', event.userIdentity ? event.userIdentity.arn : '(unsigned call)'],
                    ['Source identity', parameters.sourceIdentity || h('span', { class: 'muted' }, 'none')],
                    ['Transitive tag keys', (parameters.transitiveTagKeys || []).join(', ')
                        || h('span', { class: 'muted' }, 'none')],
                ]),
                tags.length === 0
                    ? h('p', { id: 'session-tags' }, 'Session tags: none.')
                    : table('Session tags', ['Key', 'Value'],
                        tags.map((tag) => h('tr', {}, h('td', {}, tag.key), h('td', {}, tag.value)))));
        }).catch((error) => {
            replace(issued, notice('The session\'s tags and source identity come from the audit event of the call '
                + 'that issued it, which this principal may not read:'), errorBox(error));
        });
    } else {
        issued.append(h('p', { class: 'muted' }, 'Long-term keys carry no session tags or source identity.'));
    }
    return () => clearInterval(timer);
}
