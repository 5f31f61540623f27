// The console's entry point: sign-in, the navigation and the hash router that shows one view at a time in <main>.
// Views are modules exporting render(ctx, ...params) → optional cleanup function; they talk to OpenSTS through
// ctx.api only.
import { Api, SESSION_ENDED } from './aws.js';
import { errorBox, field, h, replace } from './dom.js';
import {
    DEFAULT_REGION, clearSession, federatedSession, isExpired, landingRoute, lastIssuer, loadSession, routeSegments,
    saveSession,
} from './session.js';
import * as activity from './views/activity.js';
import * as iam from './views/iam.js';
import * as node from './views/node.js';
import * as simulator from './views/simulator.js';
import * as whoami from './views/whoami.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const identityBar = document.getElementById('identity');

let session = loadSession();
const api = new Api(() => session, window.location.origin, () => sessionEnded());
let cleanup = null;
/** Why the sign-in page is shown, when it was not the user's choice: the console session ended. */
let signInNotice = null;
/** How often the page checks, between calls, whether the console session has ended. */
const SESSION_CHECK_MS = 1000;

const SECTIONS = [
    ['whoami', 'Who am I'],
    ['roles', 'Roles'],
    ['users', 'Users'],
    ['groups', 'Groups'],
    ['policies', 'Policies'],
    ['simulator', 'Policy simulator'],
    ['activity', 'Activity'],
    ['node', 'Node'],
];

const ctx = {
    api,
    session: () => session,
    navigate(hash) {
        if (window.location.hash === hash) {
            route();
        } else {
            window.location.hash = hash;
        }
    },
    signOut,
    sessionEnded: () => sessionEnded(),
};

function signOut() {
    clearSession();
    session = null;
    window.location.hash = '#/signin';
    route();
}

/**
 * The console session has ended (its expiration passed, or the node answered ExpiredToken): forget the credentials
 * and return to the sign-in page, saying why, before anything else is done with them.
 */
function sessionEnded() {
    if (!session) {
        return;
    }
    signInNotice = 'Your console session has ended. Sign in again to go on.';
    signOut();
}

// Between calls too: a page left open signs out when the session ends, not at its next click.
setInterval(() => {
    if (session && isExpired(session, api.now())) {
        sessionEnded();
    }
}, SESSION_CHECK_MS);

function renderChrome() {
    if (!session) {
        nav.hidden = true;
        replace(identityBar);
        return;
    }
    nav.hidden = false;
    replace(nav, SECTIONS.map(([id, label]) => h('a', { href: `#/${id}`, 'data-section': id }, label)));
    replace(identityBar,
        h('span', { class: 'arn', id: 'identity-arn' }, session.arn || session.accessKeyId),
        h('span', { class: 'muted' }, session.region),
        h('button', { type: 'button', class: 'secondary', id: 'sign-out', onClick: signOut }, 'Sign out'));
}

function markCurrent(section) {
    for (const link of nav.querySelectorAll('a')) {
        if (link.dataset.section === section) {
            link.setAttribute('aria-current', 'page');
        } else {
            link.removeAttribute('aria-current');
        }
    }
}

function signInView() {
    const accessKeyId = h('input', { name: 'accessKeyId', autocomplete: 'off', spellcheck: 'false', required: true });
    const secret = h('input', {
        name: 'secretAccessKey', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true,
    });
    const token = h('textarea', { name: 'sessionToken', rows: 3, autocomplete: 'off', spellcheck: 'false' });
    const region = h('input', { name: 'region', value: DEFAULT_REGION, autocomplete: 'off', spellcheck: 'false' });
    const errors = h('div', { id: 'signin-errors' });
    const submit = h('button', { type: 'submit', id: 'sign-in' }, 'Sign in');
    const form = h('form', { class: 'panel', id: 'signin-form', autocomplete: 'off' },
        field('Access key ID', accessKeyId),
        field('Secret access key', secret),
        field('Session token (temporary credentials only)', token),
        field('Region', region, 'The region requests are signed for; OpenSTS\'s default is us-east-1.'),
        h('div', { class: 'actions' }, submit),
        errors);
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        submit.disabled = true;
        const candidate = {
            accessKeyId: accessKeyId.value.trim(),
            secretAccessKey: secret.value.trim(),
            sessionToken: token.value.trim() || undefined,
            region: region.value.trim() || DEFAULT_REGION,
            via: 'keys',
        };
        // The secret leaves the page's fields at once: from here on it lives in sessionStorage only.
        secret.value = '';
        token.value = '';
        try {
            await signIn(candidate);
            accessKeyId.value = '';
        } catch (error) {
            replace(errors, errorBox(error));
            secret.focus();
        } finally {
            submit.disabled = false;
        }
    });
    replace(main,
        h('div', { class: 'signin' },
            h('h1', {}, 'Sign in to OpenSTS'),
            h('p', {}, 'Sign in with an access key, as the AWS CLI would. Every page then calls OpenSTS\'s APIs as '
                + 'you, signed in this browser tab; the keys stay in this tab\'s session storage and are gone when '
                + 'it closes.'),
            signInNotice ? h('div', { class: 'notice', role: 'status', id: 'session-ended' }, signInNotice) : null,
            lastIssuer() ? h('p', { class: 'notice' }, 'Your last session came from an identity broker: ',
                h('a', { href: lastIssuer(), id: 'issuer-link' }, 'sign in there again'), '.') : null,
            form,
            h('p', { class: 'muted' }, 'An identity broker can also sign you in through the federation endpoint '
                + '(/federation, Action=getSigninToken then Action=login).')));
    accessKeyId.focus();
}

/**
 * Checks the credentials with GetCallerIdentity, then keeps them for this tab, in place of any it held, and lands on
 * the route the address names (a federated login's Destination, or the page asked for), else Who am I.
 */
async function signIn(candidate) {
    const probe = new Api(() => candidate);
    const result = await probe.sts('GetCallerIdentity');
    candidate.arn = result.getElementsByTagName('Arn')[0].textContent;
    candidate.account = result.getElementsByTagName('Account')[0].textContent;
    session = candidate;
    signInNotice = null;
    saveSession(session);
    ctx.navigate(landingRoute(window.location.hash));
}

async function route() {
    if (cleanup) {
        cleanup();
        cleanup = null;
    }
    if (session && isExpired(session, api.now())) {
        clearSession();
        session = null;
        signInNotice = 'Your console session has ended. Sign in again to go on.';
    }
    renderChrome();
    const segments = routeSegments(window.location.hash);
    const [section = 'whoami', ...params] = segments || [null];
    if (!session) {
        markCurrent(null);
        signInView();
        return;
    }
    const wanted = section === 'signin' || section === '' ? 'whoami' : section;
    markCurrent(wanted);
    const views = {
        whoami: () => whoami.render(main, ctx),
        roles: () => iam.render(main, ctx, 'roles', params[0]),
        users: () => iam.render(main, ctx, 'users', params[0]),
        groups: () => iam.render(main, ctx, 'groups', params[0]),
        policies: () => iam.render(main, ctx, 'policies', params[0]),
        simulator: () => simulator.render(main, ctx),
        activity: () => activity.render(main, ctx),
        node: () => node.render(main, ctx),
    };
    const view = views[wanted];
    replace(main, h('p', { class: 'loading' }, 'Loading…'));
    if (!view || !segments) {
        const asked = segments ? section : window.location.hash.replace(/^#\/?/, '');
        replace(main, h('h1', {}, 'Not found'), h('p', {}, `There is no page ${asked}.`));
        return;
    }
    main.focus({ preventScroll: true });
    try {
        cleanup = (await view()) || null;
    } catch (error) {
        if (error && error.code === SESSION_ENDED) {
            sessionEnded();
            return;
        }
        if (error && error.code === 'NotSignedIn') {
            signOut();
            return;
        }
        replace(main, h('h1', {}, SECTIONS.find(([id]) => id === wanted)[1]), errorBox(error));
    }
}

/**
 * A federated login just redeemed in this tab hands its session over through the handoff cookie, which the page cannot
 * see (HttpOnly): so the page asks for it at every start. When there is one, it replaces whatever session the tab
 * held, valid or expired; "no handoff" is the usual answer and leaves the tab as it was.
 */
async function start() {
    const federated = await federatedSession();
    if (federated) {
        clearSession();
        session = null;
        try {
            await signIn(federated);
        } catch (error) {
            renderChrome();
            signInView();
            main.querySelector('#signin-errors').append(errorBox(error));
        }
        return;
    }
    route();
}

window.addEventListener('hashchange', route);
start();
