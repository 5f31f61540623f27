// The signed-in principal's credentials, kept in the tab's sessionStorage only: they survive a reload of the tab and
// are gone when it closes, are never sent anywhere but in SigV4 signatures, and are never written into the page.
const KEY = 'opensts-console-credentials';
const ISSUER_KEY = 'opensts-console-issuer';

export const DEFAULT_REGION = 'us-east-1';

export function loadSession() {
    try {
        const stored = JSON.parse(sessionStorage.getItem(KEY));
        if (stored && stored.accessKeyId && stored.secretAccessKey) {
            return stored;
        }
    } catch {
        // Unreadable: treated as signed out.
    }
    return null;
}

/** Keeps {accessKeyId, secretAccessKey, sessionToken?, expiration?, region, via}. */
export function saveSession(credentials) {
    sessionStorage.setItem(KEY, JSON.stringify(credentials));
}

export function clearSession() {
    sessionStorage.removeItem(KEY);
}

/**
 * The identity broker's sign-in page of the last federated sign-in, kept past the session so that the sign-in page can
 * offer it; only an http or https URL.
 */
export function lastIssuer() {
    const issuer = sessionStorage.getItem(ISSUER_KEY);
    try {
        return issuer && /^https?:$/.test(new URL(issuer).protocol) ? issuer : null;
    } catch {
        return null;
    }
}

/** Whether temporary credentials have passed their expiration. */
export function isExpired(credentials, now = Date.now()) {
    return Boolean(credentials && credentials.expiration && Date.parse(credentials.expiration) <= now);
}

/**
 * The route a sign-in lands on: the console route the address already names (the Destination of a federated login,
 * or the page asked for before signing in), else Who am I.
 */
export function landingRoute(hash) {
    const route = (hash || '').replace(/^#\/?/, '');
    const section = route.split('/')[0];
    return section === '' || section === 'signin' ? '#/whoami' : `#/${route}`;
}

/**
 * A route's segments, each decoded; null for the whole route when a segment's %-escapes are malformed (a typed or
 * shared link), which names no page.
 */
export function routeSegments(hash) {
    try {
        return (hash || '').replace(/^#\/?/, '').split('/').map((part) => decodeURIComponent(part));
    } catch {
        return null;
    }
}

/**
 * Exchanges the federation sign-in cookie (set by /federation?Action=login, HttpOnly, scoped to this path) for the
 * session's credentials; null when there is no valid cookie.
 */
export async function federatedSession() {
    let response;
    try {
        response = await fetch('/console/session', {
            method: 'POST', credentials: 'same-origin', cache: 'no-store', redirect: 'error',
        });
    } catch {
        return null;
    }
    if (!response.ok) {
        return null;
    }
    const body = await response.json();
    if (!body.AccessKeyId || !body.SecretAccessKey) {
        return null;
    }
    if (body.Issuer) {
        sessionStorage.setItem(ISSUER_KEY, body.Issuer);
    } else {
        sessionStorage.removeItem(ISSUER_KEY);
    }
    return {
        accessKeyId: body.AccessKeyId,
        secretAccessKey: body.SecretAccessKey,
        sessionToken: body.SessionToken,
        expiration: body.Expiration,
        region: DEFAULT_REGION,
        via: 'federation',
        issuer: body.Issuer,
    };
}
