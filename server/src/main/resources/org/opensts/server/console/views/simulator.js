// The policy simulator: a principal's policies (SimulatePrincipalPolicy) or pasted policies (SimulateCustomPolicy)
// against actions and resources; the decision per action and resource, the statements that decided it marked in the
// policy text (the simulator's StartPosition and EndPosition), and the context keys the policies used but the call
// did not give (MissingContextValues).
import { child, childMembers, childText, decodePolicyDocument, memberList } from '../aws.js';
import { actionButton, field, h, notice, replace, table, uid } from '../dom.js';
import { highlight, offsetOf } from '../policytext.js';

const SAMPLE_POLICY = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
        { Sid: 'ReadIdentity', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
        { Sid: 'NoDeletes', Effect: 'Deny', Action: 'iam:Delete*', Resource: '*' },
    ],
}, null, 2);

function lines(text) {
    return text.split(/[\n,]/).map((line) => line.trim()).filter((line) => line !== '');
}

/** The texts of the principal's policies, by the SourcePolicyId the simulator reports for each. */
async function principalPolicies(api, arn) {
    const match = /^arn:[^:]+:iam::\d{12}:(role|user|group)\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (!match) {
        return new Map();
    }
    const [, type, name] = match;
    const names = {
        role: ['RoleName', 'ListRolePolicies', 'GetRolePolicy', 'ListAttachedRolePolicies'],
        user: ['UserName', 'ListUserPolicies', 'GetUserPolicy', 'ListAttachedUserPolicies'],
        group: ['GroupName', 'ListGroupPolicies', 'GetGroupPolicy', 'ListAttachedGroupPolicies'],
    }[type];
    const [param, listInline, getInline, listAttached] = names;
    const texts = new Map();
    const addOwner = async (ownerType, ownerParam, ownerName, calls) => {
        const owner = { [ownerParam]: ownerName };
        for (const member of await api.iamAll(calls[0], owner, 'PolicyNames')) {
            const result = await api.iam(calls[1], { ...owner, PolicyName: member.textContent });
            texts.set(`${ownerType}_${ownerName}_${member.textContent}`,
                decodePolicyDocument(childText(result, 'PolicyDocument')));
        }
        for (const attached of await api.iamAll(calls[2], owner, 'AttachedPolicies')) {
            const policyArn = childText(attached, 'PolicyArn');
            const policy = child(await api.iam('GetPolicy', { PolicyArn: policyArn }), 'Policy');
            const version = await api.iam('GetPolicyVersion', { PolicyArn: policyArn,
                VersionId: childText(policy, 'DefaultVersionId') });
            texts.set(childText(attached, 'PolicyName'), decodePolicyDocument(childText(version, 'Document')));
        }
    };
    await addOwner(type, param, name, [listInline, getInline, listAttached]);
    if (type === 'user') {
        for (const group of await api.iamAll('ListGroupsForUser', { UserName: name }, 'Groups')) {
            await addOwner('group', 'GroupName', childText(group, 'GroupName'),
                ['ListGroupPolicies', 'GetGroupPolicy', 'ListAttachedGroupPolicies']);
        }
    }
    return texts;
}

function statementsOf(node) {
    return childMembers(node, 'MatchedStatements').map((statement) => ({
        sourcePolicyId: childText(statement, 'SourcePolicyId'),
        sourcePolicyType: childText(statement, 'SourcePolicyType'),
        start: { line: Number(childText(child(statement, 'StartPosition'), 'Line')),
            column: Number(childText(child(statement, 'StartPosition'), 'Column')) },
        end: { line: Number(childText(child(statement, 'EndPosition'), 'Line')),
            column: Number(childText(child(statement, 'EndPosition'), 'Column')) },
    }));
}

/** One row per action and resource: the resource-specific results when there are, else the result itself. */
export function rowsOf(results) {
    const rows = [];
    for (const result of results) {
        const action = childText(result, 'EvalActionName');
        const specific = childMembers(result, 'ResourceSpecificResults');
        if (specific.length > 0) {
            for (const entry of specific) {
                rows.push({ action, resource: childText(entry, 'EvalResourceName'),
                    decision: childText(entry, 'EvalResourceDecision'), statements: statementsOf(entry),
                    missing: childMembers(entry, 'MissingContextValues').map((m) => m.textContent) });
            }
        } else {
            rows.push({ action, resource: childText(result, 'EvalResourceName'),
                decision: childText(result, 'EvalDecision'), statements: statementsOf(result),
                missing: childMembers(result, 'MissingContextValues').map((m) => m.textContent) });
        }
    }
    return rows;
}

export function render(main, ctx) {
    const modeName = uid('mode');
    const principalMode = h('input', { type: 'radio', name: modeName, id: 'mode-principal', value: 'principal',
        checked: true });
    const customMode = h('input', { type: 'radio', name: modeName, id: 'mode-custom', value: 'custom' });
    const principal = h('input', { id: 'sim-principal', autocomplete: 'off', spellcheck: 'false',
        value: ctx.session().arn && !/assumed-role|federated-user/.test(ctx.session().arn) ? ctx.session().arn : '',
        placeholder: 'arn:aws:iam::123456789012:role/demo' });
    const policies = h('textarea', { id: 'sim-policies', class: 'code', rows: 12, spellcheck: 'false' });
    policies.value = SAMPLE_POLICY;
    const actions = h('textarea', { id: 'sim-actions', rows: 3, spellcheck: 'false' });
    actions.value = 'iam:GetRole\niam:DeleteRole';
    const resources = h('textarea', { id: 'sim-resources', rows: 2, spellcheck: 'false' });
    resources.value = '*';
    const context = h('textarea', { id: 'sim-context', rows: 2, spellcheck: 'false',
        placeholder: 'aws:SourceIp=203.0.113.7' });
    const principalField = field('Principal ARN (a user, group or role)', principal);
    const policiesField = field('Policies (separate several with a line holding only ---)', policies);
    const results = h('div', { id: 'sim-results', 'aria-live': 'polite' });

    const syncMode = () => {
        principalField.hidden = !principalMode.checked;
        policiesField.hidden = principalMode.checked;
    };
    principalMode.addEventListener('change', syncMode);
    customMode.addEventListener('change', syncMode);
    syncMode();

    const run = actionButton('Run simulation', async () => {
        replace(results, h('p', { class: 'loading' }, 'Simulating…'));
        const params = {};
        memberList(params, 'ActionNames', lines(actions.value));
        memberList(params, 'ResourceArns', lines(resources.value));
        lines(context.value.replace(/,/g, '\n')).forEach((entry, index) => {
            const equals = entry.indexOf('=');
            const n = index + 1;
            params[`ContextEntries.member.${n}.ContextKeyName`] = entry.slice(0, equals).trim();
            params[`ContextEntries.member.${n}.ContextKeyType`] = 'string';
            params[`ContextEntries.member.${n}.ContextKeyValues.member.1`] = entry.slice(equals + 1).trim();
        });
        let texts;
        let action;
        if (principalMode.checked) {
            params.PolicySourceArn = principal.value.trim();
            action = 'SimulatePrincipalPolicy';
        } else {
            const documents = policies.value.split(/^---$/m).map((text) => text.trim()).filter((text) => text);
            memberList(params, 'PolicyInputList', documents);
            texts = new Map(documents.map((text, index) => [`PolicyInputList.${index + 1}`, text]));
            action = 'SimulateCustomPolicy';
        }
        const evaluation = [];
        let marker;
        do {
            const result = await ctx.api.iam(action, { ...params, Marker: marker });
            evaluation.push(...childMembers(result, 'EvaluationResults'));
            marker = childText(result, 'IsTruncated') === 'true' ? childText(result, 'Marker') : undefined;
        } while (marker);
        if (!texts) {
            try {
                texts = await principalPolicies(ctx.api, params.PolicySourceArn);
            } catch {
                texts = new Map();
            }
        }
        showResults(results, rowsOf(evaluation), texts);
    }, { errorSlot: results });

    replace(main,
        h('h1', {}, 'Policy simulator'),
        h('p', {}, 'Simulates calls against a principal\'s policies or against policies you paste, as IAM\'s '
            + 'SimulatePrincipalPolicy and SimulateCustomPolicy do.'),
        h('fieldset', {}, h('legend', {}, 'Simulate'),
            h('label', {}, principalMode, ' a principal\'s policies'),
            h('label', {}, customMode, ' pasted policies')),
        principalField, policiesField,
        field('Actions (one per line)', actions),
        field('Resources (one per line)', resources),
        field('Context keys (optional, key=value per line, as strings)', context),
        h('div', { class: 'actions' }, run),
        results);
    return null;
}

function showResults(slot, rows, texts) {
    const policyView = h('div', { id: 'sim-policy-view' });
    const showStatements = (row, moveFocus = true) => {
        const byPolicy = new Map();
        for (const statement of row.statements) {
            if (!byPolicy.has(statement.sourcePolicyId)) {
                byPolicy.set(statement.sourcePolicyId, []);
            }
            byPolicy.get(statement.sourcePolicyId).push(statement);
        }
        const blocks = [h('h2', { id: 'matched-heading', tabindex: '-1' },
            `Matched statements: ${row.action} on ${row.resource}`)];
        if (byPolicy.size === 0) {
            blocks.push(h('p', {}, 'No statement matched: the call is implicitly denied.'));
        }
        for (const [policyId, statements] of byPolicy) {
            const text = texts.get(policyId);
            blocks.push(h('h3', {}, `${policyId} (${statements[0].sourcePolicyType})`));
            if (text === undefined) {
                blocks.push(notice('The text of this policy is not readable by you; lines '
                    + statements.map((s) => `${s.start.line}–${s.end.line}`).join(', ') + '.'));
                continue;
            }
            const pre = h('pre', { class: 'policy sim-policy', tabindex: '0' });
            // The simulator reports both positions just past the statement's braces, as a streaming parser stands
            // after reading them: the statement runs from the character before StartPosition to EndPosition.
            highlight(pre, text, statements.map((statement) => ({
                start: Math.max(0, offsetOf(text, statement.start.line, statement.start.column) - 1),
                end: offsetOf(text, statement.end.line, statement.end.column),
                label: `line ${statement.start.line}, column ${statement.start.column}`,
            })));
            blocks.push(pre);
        }
        replace(policyView, blocks);
        if (moveFocus) {
            policyView.querySelector('#matched-heading').focus();
        }
    };
    const body = rows.map((row) => h('tr', {},
        h('td', {}, row.action),
        h('td', {}, row.resource),
        h('td', {}, h('span', { class: `decision decision-${row.decision}` }, row.decision)),
        h('td', {}, row.statements.length === 0 ? h('span', { class: 'muted' }, 'none')
            : h('button', { type: 'button', class: 'link', onClick: () => showStatements(row) },
                `Show ${row.statements.length} matched statement${row.statements.length === 1 ? '' : 's'}`)),
        h('td', {}, row.missing.length === 0 ? '' : row.missing.join(', '))));
    replace(slot,
        table('Simulation results', ['Action', 'Resource', 'Decision', 'Matched statements',
            'Missing context keys'], body),
        policyView);
    const first = rows.find((row) => row.statements.length > 0);
    if (first) {
        showStatements(first, false);
    }
}

