// The console's SigV4 module against the AWS signing test suite (testdata/sigv4/aws-signing-test-suite/v4, header
// form): the canonical request, the string to sign and the signature are asserted separately, so that a failure
// names the step. Run by ConsoleScriptsTest with `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
    canonicalQuery, canonicalRequest, credentialScope, sha256Hex, signRequest, stringToSign, uriEncode,
} from '../../main/resources/org/opensts/server/console/sigv4.js';

// Node 18 (Debian's) has WebCrypto but not yet as a global, as browsers and later Nodes do.
globalThis.crypto ??= webcrypto;

/** The testdata directory: OPENSTS_TESTDATA_DIR when set, else the first testdata/ above this file. */
function testdata() {
    if (process.env.OPENSTS_TESTDATA_DIR && existsSync(process.env.OPENSTS_TESTDATA_DIR)) {
        return process.env.OPENSTS_TESTDATA_DIR;
    }
    for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
        if (existsSync(join(dir, 'testdata')) && existsSync(join(dir, 'pom.xml'))) {
            return join(dir, 'testdata');
        }
    }
    throw new Error('no testdata/ directory above ' + fileURLToPath(import.meta.url));
}

const SUITE = resolve(testdata(), 'sigv4', 'aws-signing-test-suite', 'v4');

/** request.txt: the request line, headers (a line starting with white space continues the last one), a body. */
function parseRequest(text) {
    const [head, ...bodyParts] = text.split('\n\n');
    const [requestLine, ...headerLines] = head.split('\n');
    // The target may hold a space (get-space-*): it runs from the first space to the last.
    const method = requestLine.slice(0, requestLine.indexOf(' '));
    const target = requestLine.slice(method.length + 1, requestLine.lastIndexOf(' '));
    const question = target.indexOf('?');
    const headers = [];
    for (const line of headerLines) {
        if (/^\s/.test(line) && headers.length > 0) {
            headers[headers.length - 1][1] += ' ' + line.trim();
        } else if (line !== '') {
            const colon = line.indexOf(':');
            headers.push([line.slice(0, colon), line.slice(colon + 1)]);
        }
    }
    return {
        method,
        path: question < 0 ? target : target.slice(0, question),
        query: question < 0 ? '' : target.slice(question + 1),
        headers,
        body: bodyParts.join('\n\n'),
    };
}

function vector(name) {
    const dir = join(SUITE, name);
    const read = (file) => readFileSync(join(dir, file), 'utf8');
    const context = JSON.parse(read('context.json'));
    const token = context.omit_session_token ? undefined : context.credentials.token;
    return {
        name,
        request: parseRequest(read('request.txt')),
        credentials: {
            accessKeyId: context.credentials.access_key_id,
            secretAccessKey: context.credentials.secret_access_key,
            sessionToken: token,
        },
        context,
        canonicalRequest: read('header-canonical-request.txt'),
        stringToSign: read('header-string-to-sign.txt'),
        signature: read('header-signature.txt').trim(),
    };
}

const names = readdirSync(SUITE).sort();

test('the suite has its vectors', () => {
    assert.ok(names.length >= 30, `only ${names.length} vectors in ${SUITE}`);
});

for (const name of names) {
    const v = vector(name);
    const sign = () => signRequest(v.request, v.credentials, v.context.region, v.context.service,
        new Date(v.context.timestamp), { normalize: v.context.normalize, addContentSha256: v.context.sign_body });

    test(`${name}: canonical request`, async () => {
        assert.equal((await sign()).canonicalRequest, v.canonicalRequest);
    });
    test(`${name}: string to sign`, async () => {
        assert.equal((await sign()).stringToSign, v.stringToSign);
    });
    test(`${name}: signature`, async () => {
        const signed = await sign();
        assert.equal(signed.signature, v.signature);
        assert.match(signed.authorization, new RegExp(`Signature=${v.signature}$`));
    });
}

const encodingCases = [
    { name: 'unreserved characters stay', input: 'AZaz09-._~', expected: 'AZaz09-._~' },
    { name: 'a space is %20, not +', input: 'a b', expected: 'a%20b' },
    { name: 'a plus is encoded', input: 'a+b', expected: 'a%2Bb' },
    { name: 'UTF-8 bytes in upper-case hex', input: 'ሴ', expected: '%E1%88%B4' },
    { name: 'a slash is encoded in a query value', input: 'a/b', expected: 'a%2Fb' },
    { name: 'an equals sign and an ampersand are encoded', input: '=&', expected: '%3D%26' },
];
for (const c of encodingCases) {
    test(`uriEncode: ${c.name}`, () => {
        assert.equal(uriEncode(c.input), c.expected);
    });
}

test('canonicalQuery: a Query API body sorts by name and keeps an empty value', () => {
    assert.equal(canonicalQuery('Version=2011-06-15&Action=GetCallerIdentity&Empty='),
        'Action=GetCallerIdentity&Empty=&Version=2011-06-15');
});

test('signRequest: the session token is a signed header', async () => {
    const signed = await signRequest(
        { method: 'POST', path: '/', query: '', headers: [['Host', '127.0.0.1:8790']], body: 'Action=X' },
        { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' },
        'us-east-1', 'sts', new Date('2026-01-02T03:04:05Z'));
    assert.match(signed.authorization, /SignedHeaders=host;x-amz-date;x-amz-security-token,/);
    assert.match(signed.authorization, /Credential=ASIAEXAMPLE\/20260102\/us-east-1\/sts\/aws4_request,/);
    assert.deepEqual(signed.headers.find(([name]) => name === 'X-Amz-Security-Token'),
        ['X-Amz-Security-Token', 'token']);
});

test('signRequest: a different secret gives a different signature', async () => {
    const request = { method: 'POST', path: '/', query: '', headers: [['Host', 'h']], body: 'a=b' };
    const date = new Date('2026-01-02T03:04:05Z');
    const one = await signRequest(request, { accessKeyId: 'A', secretAccessKey: 's1' }, 'us-east-1', 'iam', date);
    const two = await signRequest(request, { accessKeyId: 'A', secretAccessKey: 's2' }, 'us-east-1', 'iam', date);
    assert.notEqual(one.signature, two.signature);
});

test('the pieces compose: scope, string to sign and payload hash', async () => {
    const date = new Date('2015-08-30T12:36:00Z');
    assert.equal(credentialScope(date, 'us-east-1', 'service'), '20150830/us-east-1/service/aws4_request');
    const canonical = canonicalRequest({ method: 'GET', path: '/', query: '',
        headers: [['Host', 'example.amazonaws.com'], ['X-Amz-Date', '20150830T123600Z']],
        payloadHash: await sha256Hex('') });
    assert.equal(await stringToSign(date, credentialScope(date, 'us-east-1', 'service'), canonical),
        readFileSync(join(SUITE, 'get-vanilla', 'header-string-to-sign.txt'), 'utf8'));
});
