// The console's pure helpers, without a browser: the Query API's form encoding, the revocation policy and reading it
// back, positions in policy text, and the countdown and age formats. Run by ConsoleScriptsTest with `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { Api, SESSION_ENDED, decodePolicyDocument, formEncode, memberList, prettyPolicy, serverTime } from
    '../../main/resources/org/opensts/server/console/aws.js';
import { isExpired, landingRoute, routeSegments } from '../../main/resources/org/opensts/server/console/session.js';
import { offsetOf } from '../../main/resources/org/opensts/server/console/policytext.js';
import { REVOKE_POLICY_NAME, revokePolicy, revokedAt } from
    '../../main/resources/org/opensts/server/console/views/iam.js';
import { age } from '../../main/resources/org/opensts/server/console/views/node.js';
import { remaining } from '../../main/resources/org/opensts/server/console/views/whoami.js';

// Node 18 (Debian's) has WebCrypto but not yet as a global, as browsers and later Nodes do.
globalThis.crypto ??= webcrypto;

test('formEncode: RFC 3986 encoding, empty and absent parameters left out', () => {
    assert.equal(formEncode({ Action: 'GetRole', RoleName: 'a b+c*', Marker: undefined, Empty: '' }),
        'Action=GetRole&RoleName=a%20b%2Bc%2A');
});

test('formEncode: a policy document keeps every character through the encoding', () => {
    const document = '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/!(x)\'~"}]}';
    const encoded = formEncode({ PolicyDocument: document });
    assert.equal(decodeURIComponent(encoded.slice('PolicyDocument='.length)), document);
    assert.doesNotMatch(encoded.slice('PolicyDocument='.length), /[!'()*]/);
});

test('memberList: Query lists are numbered from 1', () => {
    assert.deepEqual(memberList({}, 'ActionNames', ['iam:GetRole', 'iam:DeleteRole']),
        { 'ActionNames.member.1': 'iam:GetRole', 'ActionNames.member.2': 'iam:DeleteRole' });
});

test('decodePolicyDocument: IAM\'s URL-encoded document, and text that is not encoded stays as it is', () => {
    assert.equal(decodePolicyDocument('%7B%22Version%22%3A%222012-10-17%22%7D'), '{"Version":"2012-10-17"}');
    assert.equal(decodePolicyDocument('100% sure'), '100% sure');
});

test('prettyPolicy: JSON is indented by two, other text is left alone', () => {
    assert.equal(prettyPolicy('{"a":[1]}'), '{\n  "a": [\n    1\n  ]\n}');
    assert.equal(prettyPolicy('{not json'), '{not json');
});

test('revokePolicy: the IAM console\'s AWSRevokeOlderSessions policy, denying all before now', () => {
    const now = new Date('2026-12-06T10:00:00.123Z');
    assert.equal(REVOKE_POLICY_NAME, 'AWSRevokeOlderSessions');
    assert.deepEqual(JSON.parse(revokePolicy(now)), {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'],
            Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-12-06T10:00:00.123Z' } } }],
    });
});

const serverTimeCases = [
    { name: 'the Date header, rounded up a second, plus the time since it came',
        header: 'Sun, 06 Dec 2026 10:00:00 GMT', receivedAt: 5000, now: 65500, expected: '2026-12-06T10:01:01.500Z' },
    { name: 'no time since', header: 'Sun, 06 Dec 2026 10:00:00 GMT', receivedAt: 7, now: 7,
        expected: '2026-12-06T10:00:01.000Z' },
    { name: 'no header', header: null, receivedAt: 0, now: 0, expected: null },
    { name: 'a header that is no date', header: 'yesterday', receivedAt: 0, now: 0, expected: null },
];

for (const c of serverTimeCases) {
    test(`serverTime: ${c.name}`, () => {
        const time = serverTime(c.header, c.receivedAt, c.now);
        assert.equal(time && time.toISOString(), c.expected);
    });
}

test('Api.serverNow: the node\'s time from its last answer, whatever the browser\'s clock says', async () => {
    const realFetch = globalThis.fetch;
    globalThis.fetch = async () => new Response('{}', { headers: { Date: 'Sun, 06 Dec 2026 10:00:00 GMT' } });
    try {
        const api = new Api(() => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', region: 'us-east-1' }),
            'https://sts.example.com');
        assert.equal(api.serverNow(), null);
        await api.send('/', 'iam', 'application/x-www-form-urlencoded; charset=utf-8', 'Action=GetUser');
        const now = api.serverNow();
        assert.ok(now >= new Date('2026-12-06T10:00:01Z') && now < new Date('2026-12-06T10:10:00Z'), String(now));
    } finally {
        globalThis.fetch = realFetch;
    }
});

/** Runs `body` with fetch answering `answer()` and counting its calls. */
async function withFetch(answer, body) {
    const realFetch = globalThis.fetch;
    const calls = { count: 0 };
    globalThis.fetch = async () => {
        calls.count += 1;
        return answer();
    };
    try {
        await body(calls);
    } finally {
        globalThis.fetch = realFetch;
    }
}

const consoleSession = (expiration) => ({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret',
    sessionToken: 'token', expiration, region: 'us-east-1' });

test('Api: a call after the session\'s expiration is not sent, and the page is told the session ended', async () => {
    await withFetch(() => new Response('{}'), async (calls) => {
        let ended = 0;
        const api = new Api(() => consoleSession(new Date(Date.now() - 1000).toISOString()),
            'https://sts.example.com', () => { ended += 1; });

        await assert.rejects(api.json('/node'), (error) => error.code === SESSION_ENDED);
        await assert.rejects(api.iam('AttachRolePolicy', { RoleName: 'r' }), (error) => error.code === SESSION_ENDED);
        assert.equal(calls.count, 0);
        assert.equal(ended, 2);
    });
});

test('Api: the session\'s expiry is judged by the node\'s clock once an answer told it', async () => {
    // The browser's clock is an hour behind the node's: by the node's, the session ended ten minutes ago.
    const nodeNow = Date.now() + 3600 * 1000;
    const date = new Date(nodeNow).toUTCString();
    await withFetch(() => new Response('{}', { headers: { Date: date } }), async (calls) => {
        let ended = 0;
        const api = new Api(() => consoleSession(new Date(nodeNow - 600 * 1000).toISOString()),
            'https://sts.example.com', () => { ended += 1; });
        api.lastDate = date;
        api.lastDateReceivedAt = performance.now();

        await assert.rejects(api.json('/node'), (error) => error.code === SESSION_ENDED);
        assert.equal(calls.count, 0);
        assert.equal(ended, 1);
    });
});

test('Api: the node\'s ExpiredToken tells the page the session ended; other refusals do not', async () => {
    let code = 'ExpiredToken';
    await withFetch(() => new Response(JSON.stringify({ Error: { Code: code, Message: 'm' } }), { status: 403 }),
        async () => {
            let ended = 0;
            const api = new Api(() => consoleSession(new Date(Date.now() + 600 * 1000).toISOString()),
                'https://sts.example.com', () => { ended += 1; });

            await assert.rejects(api.json('/node'), (error) => error.code === 'ExpiredToken');
            assert.equal(ended, 1);
            code = 'AccessDenied';
            await assert.rejects(api.json('/node'), (error) => error.code === 'AccessDenied');
            assert.equal(ended, 1);
        });
});

test('Api: long-term keys have no expiration and never end', async () => {
    await withFetch(() => new Response('{}'), async (calls) => {
        const api = new Api(() => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', region: 'us-east-1' }),
            'https://sts.example.com', () => assert.fail('no session end'));
        await api.json('/node');
        assert.equal(calls.count, 1);
    });
});

test('isExpired: from the expiration instant on, never without one', () => {
    assert.equal(isExpired(consoleSession('2026-12-07T04:00:00Z'), Date.parse('2026-12-07T03:59:59.999Z')), false);
    assert.equal(isExpired(consoleSession('2026-12-07T04:00:00Z'), Date.parse('2026-12-07T04:00:00Z')), true);
    assert.equal(isExpired({ accessKeyId: 'AKIDEXAMPLE' }, Date.parse('2999-01-01T00:00:00Z')), false);
});

const landingCases = [
    { name: 'a role, as a Destination names it', hash: '#/roles/demo', expected: '#/roles/demo' },
    { name: 'Activity', hash: '#/activity', expected: '#/activity' },
    { name: 'a route without its slash', hash: '#policies', expected: '#/policies' },
    { name: 'no route', hash: '', expected: '#/whoami' },
    { name: 'the bare hash', hash: '#/', expected: '#/whoami' },
    { name: 'the sign-in page', hash: '#/signin', expected: '#/whoami' },
];
for (const c of landingCases) {
    test(`landingRoute: ${c.name}`, () => {
        assert.equal(landingRoute(c.hash), c.expected);
    });
}

const revokedCases = [
    { name: 'the console\'s own policy', document: revokePolicy(new Date('2026-01-02T03:04:05Z')),
        expected: '2026-01-02T03:04:05.000Z' },
    { name: 'the CLI\'s form, a single statement object',
        document: '{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*",'
            + '"Condition":{"DateLessThan":{"aws:TokenIssueTime":"2026-05-06T07:08:09Z"}}}}',
        expected: '2026-05-06T07:08:09Z' },
    { name: 'an Allow is no revocation',
        document: '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*",'
            + '"Condition":{"DateLessThan":{"aws:TokenIssueTime":"2026-05-06T07:08:09Z"}}}}',
        expected: null },
    { name: 'a policy that is not JSON', document: '{', expected: null },
];
for (const c of revokedCases) {
    test(`revokedAt: ${c.name}`, () => {
        assert.equal(revokedAt(c.document), c.expected);
    });
}

test('routeSegments: each segment decoded; a malformed %-escape makes the route name no page', () => {
    assert.deepEqual(routeSegments('#/roles/a%20b'), ['roles', 'a b']);
    assert.deepEqual(routeSegments('#users'), ['users']);
    assert.deepEqual(routeSegments(''), ['']);
    assert.equal(routeSegments('#/users/%E0%A4%A'), null);
    assert.equal(routeSegments('#/%'), null);
});

test('offsetOf: 1-based lines and columns, clipped to the text', () => {
    const text = '{\n  "Statement": []\n}';
    assert.equal(offsetOf(text, 1, 1), 0);
    assert.equal(offsetOf(text, 2, 3), 4);
    assert.equal(text[offsetOf(text, 3, 1)], '}');
    assert.equal(offsetOf(text, 9, 1), text.length);
});

test('remaining: the countdown reads hours, minutes and seconds, and says when it is over', () => {
    assert.equal(remaining(3723000), '1 h 02 min 03 s');
    assert.equal(remaining(59000), '0 min 59 s');
    assert.equal(remaining(0), 'expired');
});

test('age: the key ring\'s age in its two largest units', () => {
    assert.equal(age(42), '42 s');
    assert.equal(age(3 * 86400 + 4 * 3600 + 5), '3 d 4 h');
    assert.equal(age(5 * 3600 + 12 * 60), '5 h 12 min');
});
