// Signature Version 4 in the browser, with WebCrypto (HMAC-SHA256 and SHA-256), for the console's calls to OpenSTS.
// It follows AWS's "Create a signed AWS API request" (AWS General Reference, Signature Version 4): the canonical
// request, the string to sign, the derived signing key and the signature, each a separate export so that the tests can
// check every step against the AWS signing test suite. The console signs whole requests with `signRequest`; nothing
// here keeps a key beyond one call.

const encoder = new TextEncoder();
const ALGORITHM = 'AWS4-HMAC-SHA256';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function subtle() {
    // Browsers and Node 20 both expose WebCrypto as globalThis.crypto.
    return globalThis.crypto.subtle;
}

function toBytes(data) {
    return typeof data === 'string' ? encoder.encode(data) : data;
}

export function hex(buffer) {
    return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(data) {
    return hex(await subtle().digest('SHA-256', toBytes(data)));
}

async function hmac(key, data) {
    const cryptoKey = await subtle().importKey('raw', toBytes(key), { name: 'HMAC', hash: 'SHA-256' }, false,
        ['sign']);
    return subtle().sign('HMAC', cryptoKey, toBytes(data));
}

/** SigV4's UriEncode: every byte but the unreserved characters percent-encoded, upper-case hex. */
export function uriEncode(text, keepSlash = false) {
    let out = '';
    for (const byte of encoder.encode(text)) {
        const c = String.fromCharCode(byte);
        if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/')) {
            out += c;
        } else {
            out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
        }
    }
    return out;
}

function percentDecode(text) {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}

/** RFC 3986 section 5.2.4, plus SigV4's collapsing of empty segments, when the request is normalized. */
function normalizePath(path) {
    const output = [];
    for (const segment of path.split('/')) {
        if (segment === '' || segment === '.') {
            continue;
        }
        if (segment === '..') {
            output.pop();
        } else {
            output.push(segment);
        }
    }
    const trailingSlash = output.length > 0 && /\/\.{0,2}$/.test(path);
    return '/' + output.join('/') + (trailingSlash ? '/' : '');
}

/** The canonical URI: the path (normalized unless told not to), each character URI-encoded once more. */
export function canonicalUri(path, normalize = true) {
    const value = normalize ? normalizePath(path || '/') : (path || '/');
    return uriEncode(value, true);
}

/** The canonical query string: each name and value decoded then URI-encoded, sorted by name, then by value. */
export function canonicalQuery(query) {
    if (!query) {
        return '';
    }
    const pairs = query.split('&').filter((piece) => piece !== '').map((piece) => {
        const equals = piece.indexOf('=');
        const name = equals < 0 ? piece : piece.slice(0, equals);
        const value = equals < 0 ? '' : piece.slice(equals + 1);
        return [uriEncode(percentDecode(name)), uriEncode(percentDecode(value))];
    });
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/**
 * The canonical headers and the signed-headers list of `headers`, an array of [name, value] pairs: names
 * lower-cased, values trimmed with inner runs of spaces collapsed, repeated names joined with commas in order.
 */
export function canonicalHeaders(headers) {
    const byName = new Map();
    for (const [name, value] of headers) {
        const key = name.toLowerCase();
        const trimmed = String(value).replace(/\s+/g, ' ').trim();
        byName.set(key, byName.has(key) ? `${byName.get(key)},${trimmed}` : trimmed);
    }
    const names = [...byName.keys()].sort();
    return {
        text: names.map((name) => `${name}:${byName.get(name)}\n`).join(''),
        signedHeaders: names.join(';'),
    };
}

export function canonicalRequest({ method, path, query, headers, payloadHash, normalize = true }) {
    const { text, signedHeaders } = canonicalHeaders(headers);
    return [method, canonicalUri(path, normalize), canonicalQuery(query), text, signedHeaders, payloadHash]
        .join('\n');
}

/** `20150830T123600Z` for a Date. */
export function amzDate(date) {
    return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function credentialScope(date, region, service) {
    return `${amzDate(date).slice(0, 8)}/${region}/${service}/aws4_request`;
}

export async function stringToSign(date, scope, canonical) {
    return [ALGORITHM, amzDate(date), scope, await sha256Hex(canonical)].join('\n');
}

export async function deriveSigningKey(secretAccessKey, date, region, service) {
    const dateKey = await hmac('AWS4' + secretAccessKey, amzDate(date).slice(0, 8));
    const regionKey = await hmac(dateKey, region);
    const serviceKey = await hmac(regionKey, service);
    return hmac(serviceKey, 'aws4_request');
}

/**
 * Signs a request in the Authorization header. `request` is {method, path, query, headers: [[name, value]], body};
 * `credentials` {accessKeyId, secretAccessKey, sessionToken?}. Adds X-Amz-Date, X-Amz-Security-Token (signed, when
 * there is a token), X-Amz-Content-Sha256 when `addContentSha256`, then Authorization. Returns the headers to send
 * and each step of the signing.
 */
export async function signRequest(request, credentials, region, service, date,
    { normalize = true, addContentSha256 = false } = {}) {
    const headers = [...request.headers, ['X-Amz-Date', amzDate(date)]];
    if (credentials.sessionToken) {
        headers.push(['X-Amz-Security-Token', credentials.sessionToken]);
    }
    const payloadHash = request.body ? await sha256Hex(request.body) : EMPTY_SHA256;
    if (addContentSha256) {
        headers.push(['X-Amz-Content-Sha256', payloadHash]);
    }
    const canonical = canonicalRequest({
        method: request.method, path: request.path, query: request.query, headers, payloadHash, normalize,
    });
    const scope = credentialScope(date, region, service);
    const toSign = await stringToSign(date, scope, canonical);
    const signature = hex(await hmac(await deriveSigningKey(credentials.secretAccessKey, date, region, service),
        toSign));
    const authorization = `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, `
        + `SignedHeaders=${canonicalHeaders(headers).signedHeaders}, Signature=${signature}`;
    headers.push(['Authorization', authorization]);
    return { headers, canonicalRequest: canonical, stringToSign: toSign, signature, authorization };
}
