// The console's only way to reach OpenSTS: its public APIs on the same origin, every request SigV4-signed in the page
// with the signed-in principal's credentials. The console therefore can do nothing the principal could not do with
// the AWS CLI, and a forged cross-site request cannot carry a signature: CSRF is impossible by construction.
import { isExpired } from './session.js';
import { signRequest } from './sigv4.js';

export const STS_VERSION = '2011-06-15';
export const IAM_VERSION = '2010-05-08';

/** An error answered by OpenSTS, with AWS's code and message (or a network failure, code NetworkError). */
export class AwsError extends Error {
    constructor(code, message, status) {
        super(message);
        this.name = 'AwsError';
        this.code = code;
        this.status = status;
    }
}

/** The Query API's form encoding: RFC 3986 percent-encoding of names and values, pairs joined with &. */
export function formEncode(params) {
    return Object.entries(params)
        .filter(([, value]) => value !== undefined && value !== null && value !== '')
        .map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(String(value))}`)
        .join('&');
}

function encodeRfc3986(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Adds list parameters the Query way: prefix.member.1, prefix.member.2, … */
export function memberList(params, prefix, values) {
    values.forEach((value, index) => {
        params[`${prefix}.member.${index + 1}`] = value;
    });
    return params;
}

/** The error of a call refused because the console session has ended, in the page or at the node. */
export const SESSION_ENDED = 'ExpiredToken';

export class Api {
    /**
     * `session()` returns the current {accessKeyId, secretAccessKey, sessionToken?, expiration?, region};
     * `onSessionEnded()` is called whenever a call is refused because the session has ended: before it is sent, when
     * its expiration has passed by the node's clock (as far as the page knows it), or when the node answers
     * ExpiredToken. The node refuses the credentials from then on either way; the page stops acting on them.
     */
    constructor(session, origin = window.location.origin, onSessionEnded = () => {}) {
        this.session = session;
        this.origin = origin;
        this.onSessionEnded = onSessionEnded;
    }

    /** The time to judge the session's expiry by: the node's, else the browser's. */
    now() {
        const server = this.serverNow();
        return server ? server.getTime() : Date.now();
    }

    /** Throws, and reports, SESSION_ENDED when the session's expiration has passed. */
    checkSession(credentials) {
        if (isExpired(credentials, this.now())) {
            this.onSessionEnded();
            throw new AwsError(SESSION_ENDED, 'The console session has ended. Sign in again.', 0);
        }
    }

    async send(path, service, contentType, body) {
        const credentials = this.session();
        if (!credentials) {
            throw new AwsError('NotSignedIn', 'Sign in first.');
        }
        this.checkSession(credentials);
        const url = new URL(path, this.origin);
        const signed = await signRequest({
            method: 'POST', path: url.pathname, query: '', body,
            headers: [['Host', url.host], ['Content-Type', contentType]],
        }, credentials, credentials.region, service, new Date());
        // The browser sets Host itself (and forbids setting it); it is the same value that was signed.
        const headers = new Headers();
        for (const [name, value] of signed.headers) {
            if (name.toLowerCase() !== 'host') {
                headers.set(name, value);
            }
        }
        let response;
        try {
            response = await fetch(url, {
                method: 'POST', headers, body, credentials: 'omit', cache: 'no-store', redirect: 'error',
            });
        } catch (error) {
            throw new AwsError('NetworkError', `OpenSTS could not be reached: ${error.message}`, 0);
        }
        const date = response.headers.get('Date');
        if (date) {
            this.lastDate = date;
            this.lastDateReceivedAt = performance.now();
        }
        return response;
    }

    /**
     * The node's time now, as its last response's Date header and the time since tell it; null before any. Time
     * that matters to the node (a revocation's cut-off) is taken from it, never from the browser's clock, which may
     * be off by any amount.
     */
    serverNow() {
        return serverTime(this.lastDate, this.lastDateReceivedAt, performance.now());
    }

    /** Calls a Query API action (STS or IAM) and returns its <…Result> element, or throws an AwsError. */
    async query(service, action, params = {}) {
        const version = service === 'iam' ? IAM_VERSION : STS_VERSION;
        const body = formEncode({ Action: action, Version: version, ...params });
        const response = await this.send('/', service, 'application/x-www-form-urlencoded; charset=utf-8', body);
        const text = await response.text();
        const xml = new DOMParser().parseFromString(text, 'application/xml');
        if (!response.ok) {
            throw this.refused(new AwsError(xmlText(xml, 'Code') || `HTTP${response.status}`,
                xmlText(xml, 'Message') || response.statusText, response.status));
        }
        const result = xml.getElementsByTagName(`${action}Result`)[0];
        return result || xml.documentElement;
    }

    /** Calls one of the console's JSON APIs (service opensts) and returns the parsed answer, or throws an AwsError. */
    async json(path, payload = {}) {
        const response = await this.send(path, 'opensts', 'application/json', JSON.stringify(payload));
        const text = await response.text();
        let parsed = null;
        try {
            parsed = text ? JSON.parse(text) : {};
        } catch {
            parsed = null;
        }
        if (!response.ok) {
            if (parsed && parsed.Error) {
                throw this.refused(new AwsError(parsed.Error.Code, parsed.Error.Message, response.status));
            }
            // Refused before the JSON API was reached (the Query protocol's XML error envelope), or no body at all.
            const xml = new DOMParser().parseFromString(text, 'application/xml');
            throw this.refused(new AwsError(xmlText(xml, 'Code') || `HTTP${response.status}`,
                xmlText(xml, 'Message') || response.statusText, response.status));
        }
        if (parsed === null) {
            throw new AwsError('InvalidResponse', `${path} did not answer JSON`, response.status);
        }
        return parsed;
    }

    /** The node's refusal, reported first when it says the session has ended (the browser's clock may be behind). */
    refused(error) {
        if (error.code === SESSION_ENDED) {
            this.onSessionEnded();
        }
        return error;
    }

    sts(action, params) {
        return this.query('sts', action, params);
    }

    iam(action, params) {
        return this.query('iam', action, params);
    }

    /** Every page of a paged IAM list (Marker, IsTruncated), the members of `listElement` of each page. */
    async iamAll(action, params, listElement, limit = 1000) {
        const members = [];
        let marker;
        do {
            const result = await this.iam(action, { ...params, Marker: marker });
            members.push(...childMembers(result, listElement));
            marker = xmlText(result, 'IsTruncated') === 'true' ? xmlText(result, 'Marker') : undefined;
        } while (marker && members.length < limit);
        return members;
    }
}

/** The text of the first descendant element named `name`, or '' when there is none. */
/**
 * The server's time at `now` (milliseconds of the browser's monotonic clock, as `performance.now()`): its `Date`
 * header received at `receivedAt` plus the time elapsed since. The header counts whole seconds, so the time is rounded
 * up by one: a cut-off taken from it is never before the moment the server answered. Null without a valid header.
 */
export function serverTime(dateHeader, receivedAt, now) {
    const date = dateHeader ? Date.parse(dateHeader) : NaN;
    if (Number.isNaN(date)) {
        return null;
    }
    return new Date(date + 1000 + Math.max(0, now - receivedAt));
}

export function xmlText(node, name) {
    const element = node && node.getElementsByTagName(name)[0];
    return element ? element.textContent : '';
}

/** The direct child element of `node` named `name`. */
export function child(node, name) {
    if (!node) {
        return null;
    }
    for (const element of node.children) {
        if (element.localName === name) {
            return element;
        }
    }
    return null;
}

/** The <member> elements of `node`'s child list `listName`. */
export function childMembers(node, listName) {
    const list = child(node, listName);
    return list ? [...list.children].filter((element) => element.localName === 'member') : [];
}

/** The text of a direct child, '' when absent. */
export function childText(node, name) {
    const element = child(node, name);
    return element ? element.textContent : '';
}

/** IAM returns policy documents URL-encoded (RFC 3986); this is the document as it was written. */
export function decodePolicyDocument(encoded) {
    try {
        return decodeURIComponent(encoded);
    } catch {
        return encoded;
    }
}

/** A policy document indented for reading, or the text itself when it is not JSON. */
export function prettyPolicy(text) {
    try {
        return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
        return text;
    }
}
