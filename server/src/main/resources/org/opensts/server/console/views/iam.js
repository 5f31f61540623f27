// Roles, users, groups and managed policies: lists with search and "load more" paging (IAM's Marker and
// IsTruncated), detail pages with their trust and permission policies pretty-printed, editing validated as you type,
// creation and deletion, and a role's "Revoke active sessions" as the IAM console does it.
import {
    AwsError, child, childMembers, childText, decodePolicyDocument, prettyPolicy,
} from '../aws.js';
import {
    actionButton, confirmDialog, details, errorBox, field, formatTime, h, notice, replace, table,
} from '../dom.js';
import { policyEditor } from '../policytext.js';

const PAGE_SIZE = 25;
export const REVOKE_POLICY_NAME = 'AWSRevokeOlderSessions';

const KINDS = {
    roles: {
        title: 'Roles', singular: 'role', list: 'ListRoles', listElement: 'Roles', nameField: 'RoleName',
        param: 'RoleName', inline: ['ListRolePolicies', 'GetRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy'],
        attached: ['ListAttachedRolePolicies', 'AttachRolePolicy', 'DetachRolePolicy'],
    },
    users: {
        title: 'Users', singular: 'user', list: 'ListUsers', listElement: 'Users', nameField: 'UserName',
        param: 'UserName', inline: ['ListUserPolicies', 'GetUserPolicy', 'PutUserPolicy', 'DeleteUserPolicy'],
        attached: ['ListAttachedUserPolicies', 'AttachUserPolicy', 'DetachUserPolicy'],
    },
    groups: {
        title: 'Groups', singular: 'group', list: 'ListGroups', listElement: 'Groups', nameField: 'GroupName',
        param: 'GroupName', inline: ['ListGroupPolicies', 'GetGroupPolicy', 'PutGroupPolicy', 'DeleteGroupPolicy'],
        attached: ['ListAttachedGroupPolicies', 'AttachGroupPolicy', 'DetachGroupPolicy'],
    },
    policies: {
        title: 'Policies', singular: 'policy', list: 'ListPolicies', listElement: 'Policies', nameField: 'PolicyName',
    },
};

export { KINDS };

export function render(main, ctx, kind, name) {
    return name === undefined || name === '' ? listView(main, ctx, kind) : detailView(main, ctx, kind, name);
}

function detailHash(kind, member) {
    const key = kind === 'policies' ? childText(member, 'Arn') : childText(member, KINDS[kind].nameField);
    return `#/${kind}/${encodeURIComponent(key)}`;
}

// ---- lists

async function listView(main, ctx, kind) {
    const spec = KINDS[kind];
    const loaded = [];
    let marker;
    let truncated = false;
    const search = h('input', { type: 'search', id: `${kind}-search`, autocomplete: 'off', spellcheck: 'false' });
    const scope = kind === 'policies' ? h('select', { id: 'policy-scope' },
        h('option', { value: 'Local', selected: true }, 'Customer managed'),
        h('option', { value: 'AWS' }, 'AWS managed'),
        h('option', { value: 'All' }, 'All')) : null;
    const tableSlot = h('div');
    const status = h('p', { class: 'hint', 'aria-live': 'polite', id: `${kind}-count` });
    const errors = h('div');
    const more = actionButton('Load more', () => loadPage(), { kind: 'secondary', errorSlot: errors });
    const createSlot = h('div');

    const show = () => {
        const term = search.value.trim().toLowerCase();
        const shown = term === '' ? loaded : loaded.filter((member) =>
            childText(member, spec.nameField).toLowerCase().includes(term)
            || childText(member, 'Arn').toLowerCase().includes(term));
        const rows = shown.map((member) => h('tr', {},
            h('td', {}, h('a', { href: detailHash(kind, member) }, childText(member, spec.nameField))),
            h('td', {}, childText(member, 'Arn')),
            h('td', {}, formatTime(childText(member, 'CreateDate')))));
        replace(tableSlot, shown.length === 0
            ? h('p', {}, loaded.length === 0 ? `No ${spec.title.toLowerCase()}.` : 'Nothing matches the search.')
            : table(spec.title, ['Name', 'ARN', 'Created'], rows));
        status.textContent = `Showing ${shown.length} of ${loaded.length} loaded`
            + (truncated ? '; more are available.' : '.');
        more.hidden = !truncated;
    };

    const loadPage = async () => {
        const params = { MaxItems: PAGE_SIZE, Marker: marker };
        if (scope) {
            params.Scope = scope.value;
        }
        const result = await ctx.api.iam(spec.list, params);
        loaded.push(...childMembers(result, spec.listElement));
        truncated = childText(result, 'IsTruncated') === 'true';
        marker = truncated ? childText(result, 'Marker') : undefined;
        show();
    };

    search.addEventListener('input', show);
    if (scope) {
        scope.addEventListener('change', async () => {
            loaded.length = 0;
            marker = undefined;
            errors.replaceChildren();
            try {
                await loadPage();
            } catch (error) {
                errors.replaceChildren(errorBox(error));
            }
        });
    }
    const createButton = h('button', {
        type: 'button', id: `create-${spec.singular}`,
        onClick: () => {
            createButton.hidden = true;
            replace(createSlot, createForm(ctx, kind, () => {
                createButton.hidden = false;
                createSlot.replaceChildren();
                createButton.focus();
            }));
            createSlot.querySelector('input').focus();
        },
    }, `Create ${spec.singular}`);

    replace(main,
        h('h1', {}, spec.title),
        h('div', { class: 'actions' }, createButton),
        createSlot,
        h('div', { class: 'toolbar' },
            field(`Search ${spec.title.toLowerCase()} by name or ARN`, search),
            scope ? field('Type', scope) : null),
        errors, tableSlot, status, h('div', { class: 'actions' }, more));
    await loadPage();
    return null;
}

function defaultTrustPolicy(account) {
    return prettyPolicy(JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }],
    }));
}

const EMPTY_POLICY = prettyPolicy(JSON.stringify({
    Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }],
}));

function createForm(ctx, kind, close) {
    const spec = KINDS[kind];
    const name = h('input', { id: `new-${spec.singular}-name`, autocomplete: 'off', spellcheck: 'false' });
    const description = h('input', { id: `new-${spec.singular}-description`, autocomplete: 'off' });
    const errors = h('div');
    const account = ctx.session().account || '123456789012';
    const editor = kind === 'roles'
        ? policyEditor(ctx, { label: 'Trust policy', text: defaultTrustPolicy(account), policyType: 'TRUST_POLICY' })
        : kind === 'policies'
            ? policyEditor(ctx, { label: 'Policy document', text: EMPTY_POLICY, policyType: 'IDENTITY_POLICY' })
            : null;
    const create = actionButton('Create', async () => {
        const params = { [spec.nameField]: name.value.trim() };
        if (kind === 'roles') {
            params.AssumeRolePolicyDocument = editor.value();
            params.Description = description.value.trim();
        } else if (kind === 'policies') {
            params.PolicyDocument = editor.value();
            params.Description = description.value.trim();
        }
        const action = { roles: 'CreateRole', users: 'CreateUser', groups: 'CreateGroup', policies: 'CreatePolicy' };
        const result = await ctx.api.iam(action[kind], params);
        const created = result.getElementsByTagName(kind === 'policies' ? 'Policy'
            : spec.singular[0].toUpperCase() + spec.singular.slice(1))[0];
        ctx.navigate(detailHash(kind, created));
    }, { errorSlot: errors });
    return h('section', { class: 'panel', 'aria-label': `Create ${spec.singular}` },
        h('h2', {}, `Create ${spec.singular}`),
        field('Name', name),
        kind === 'roles' || kind === 'policies' ? field('Description (optional)', description) : null,
        editor ? editor.element : null,
        h('div', { class: 'actions' }, create,
            h('button', { type: 'button', class: 'secondary', onClick: close }, 'Cancel')),
        errors);
}

// ---- details

async function detailView(main, ctx, kind, name) {
    const views = { roles: roleView, users: userView, groups: groupView, policies: policyView };
    return views[kind](main, ctx, name);
}

function heading(kind, title) {
    return h('div', {},
        h('p', { class: 'muted' }, h('a', { href: `#/${kind}` }, KINDS[kind].title), ' / '),
        h('h1', {}, title));
}

function policyBlock(text, id) {
    return h('pre', { class: 'policy', id, tabindex: '0' }, prettyPolicy(text));
}

/** A policy shown pretty-printed, with an Edit button that swaps in a validated editor. */
function editablePolicy(ctx, { title, text, policyType, save, id, headingLevel = 'h3', extraActions = [] }) {
    // "Edit trust policy", but "Edit ReadOnly": a policy's own name keeps its case.
    const editName = /^(Trust policy|Policy document)$/.test(title) ? title.toLowerCase() : title;
    const section = h('section', { class: 'policy-section' });
    const errors = h('div');
    const showView = () => {
        const edit = h('button', { type: 'button', class: 'secondary', 'data-edit': id, onClick: showEditor },
            `Edit ${editName}`);
        replace(section, h(headingLevel, {}, title), policyBlock(text, id),
            h('div', { class: 'actions' }, edit, extraActions), errors);
    };
    const showEditor = () => {
        const editor = policyEditor(ctx, { label: title, text: prettyPolicy(text), policyType });
        const saveButton = actionButton('Save', async () => {
            await save(editor.value());
            text = editor.value();
            showView();
            section.querySelector('button').focus();
        }, { errorSlot: errors });
        replace(section, h(headingLevel, {}, `Edit ${editName}`), editor.element,
            h('div', { class: 'actions' }, saveButton,
                h('button', { type: 'button', class: 'secondary', onClick: () => {
                    errors.replaceChildren();
                    showView();
                } }, 'Cancel')),
            errors);
        editor.textarea.focus();
    };
    showView();
    return section;
}

/** The inline and attached managed policies of a role, user or group, with editing, adding and removing. */
async function permissionsSection(ctx, kind, name) {
    const spec = KINDS[kind];
    const [listInline, getInline, putInline, deleteInline] = spec.inline;
    const [listAttached, attach, detach] = spec.attached;
    const owner = { [spec.param]: name };
    const section = h('section', { 'aria-labelledby': 'permissions-heading' },
        h('h2', { id: 'permissions-heading' }, 'Permissions'));
    const errors = h('div');

    const inlineNames = (await ctx.api.iamAll(listInline, owner, 'PolicyNames')).map((member) => member.textContent);
    const inlineDocuments = await Promise.all(inlineNames.map(async (policyName) => {
        const result = await ctx.api.iam(getInline, { ...owner, PolicyName: policyName });
        return [policyName, decodePolicyDocument(childText(result, 'PolicyDocument'))];
    }));
    const attached = await ctx.api.iamAll(listAttached, owner, 'AttachedPolicies');

    section.append(h('h3', {}, 'Inline policies'));
    if (inlineDocuments.length === 0) {
        section.append(h('p', {}, 'None.'));
    }
    for (const [policyName, document] of inlineDocuments) {
        const remove = actionButton(`Delete ${policyName}`, async () => {
            if (await confirmDialog(`Delete inline policy ${policyName}?`,
                `The ${spec.singular} ${name} loses the permissions of ${policyName}.`, 'Delete policy')) {
                await ctx.api.iam(deleteInline, { ...owner, PolicyName: policyName });
                ctx.navigate(window.location.hash);
            }
        }, { kind: 'danger', errorSlot: errors });
        section.append(editablePolicy(ctx, {
            title: policyName, text: document, policyType: 'IDENTITY_POLICY', id: `inline-${policyName}`,
            headingLevel: 'h4', extraActions: [remove],
            save: (text) => ctx.api.iam(putInline, { ...owner, PolicyName: policyName, PolicyDocument: text }),
        }));
    }
    const addSlot = h('div');
    const addButton = h('button', { type: 'button', class: 'secondary', id: 'add-inline-policy', onClick: () => {
        addButton.hidden = true;
        const policyName = h('input', { id: 'new-inline-name', autocomplete: 'off', spellcheck: 'false' });
        const editor = policyEditor(ctx, {
            label: 'Policy document', text: EMPTY_POLICY, policyType: 'IDENTITY_POLICY',
        });
        const addErrors = h('div');
        replace(addSlot, h('div', { class: 'panel' }, h('h4', {}, 'Add inline policy'),
            field('Policy name', policyName), editor.element,
            h('div', { class: 'actions' },
                actionButton('Add policy', async () => {
                    await ctx.api.iam(putInline, { ...owner, PolicyName: policyName.value.trim(),
                        PolicyDocument: editor.value() });
                    ctx.navigate(window.location.hash);
                }, { errorSlot: addErrors }),
                h('button', { type: 'button', class: 'secondary', onClick: () => {
                    addSlot.replaceChildren();
                    addButton.hidden = false;
                    addButton.focus();
                } }, 'Cancel')),
            addErrors));
        policyName.focus();
    } }, 'Add inline policy');
    section.append(h('div', { class: 'actions' }, addButton), addSlot);

    section.append(h('h3', {}, 'Attached managed policies'));
    section.append(attached.length === 0 ? h('p', {}, 'None.') : table('Attached managed policies',
        ['Policy', ''], attached.map((policy) => h('tr', {},
            h('td', {}, h('a', { href: `#/policies/${encodeURIComponent(childText(policy, 'PolicyArn'))}` },
                childText(policy, 'PolicyName'))),
            h('td', {}, actionButton('Detach', async () => {
                await ctx.api.iam(detach, { ...owner, PolicyArn: childText(policy, 'PolicyArn') });
                ctx.navigate(window.location.hash);
            }, { kind: 'secondary', errorSlot: errors }))))));
    const arn = h('input', { id: 'attach-policy-arn', autocomplete: 'off', spellcheck: 'false',
        placeholder: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    section.append(h('div', { class: 'toolbar' }, field('Attach a managed policy by ARN', arn),
        actionButton('Attach', async () => {
            await ctx.api.iam(attach, { ...owner, PolicyArn: arn.value.trim() });
            ctx.navigate(window.location.hash);
        }, { kind: 'secondary', errorSlot: errors })), errors);
    return { section, inlineNames, attached };
}

/** The time of the last "Revoke active sessions", read from the AWSRevokeOlderSessions policy's condition. */
export function revokedAt(document) {
    try {
        const policy = JSON.parse(document);
        const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
        for (const statement of statements) {
            const condition = statement && statement.Condition && statement.Condition.DateLessThan;
            if (statement.Effect === 'Deny' && condition && condition['aws:TokenIssueTime']) {
                return condition['aws:TokenIssueTime'];
            }
        }
    } catch {
        // Not a policy the console wrote: shown as unknown.
    }
    return null;
}

/** The inline policy the IAM console puts on a role to revoke the sessions issued before `now`. */
export function revokePolicy(now) {
    return JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
            Effect: 'Deny', Action: ['*'], Resource: ['*'],
            Condition: { DateLessThan: { 'aws:TokenIssueTime': now.toISOString() } },
        }],
    });
}

async function deleteWithDependencies(ctx, kind, name, inlineNames, attached, extra = async () => {}) {
    const spec = KINDS[kind];
    const owner = { [spec.param]: name };
    await extra();
    for (const policyName of inlineNames) {
        await ctx.api.iam(spec.inline[3], { ...owner, PolicyName: policyName });
    }
    for (const policy of attached) {
        await ctx.api.iam(spec.attached[2], { ...owner, PolicyArn: childText(policy, 'PolicyArn') });
    }
    const action = { roles: 'DeleteRole', users: 'DeleteUser', groups: 'DeleteGroup' };
    await ctx.api.iam(action[kind], owner);
    ctx.navigate(`#/${kind}`);
}

async function roleView(main, ctx, roleName) {
    const role = child(await ctx.api.iam('GetRole', { RoleName: roleName }), 'Role');
    const trust = decodePolicyDocument(childText(role, 'AssumeRolePolicyDocument'));
    const { section: permissions, inlineNames, attached } = await permissionsSection(ctx, 'roles', roleName);
    const errors = h('div');

    const sessions = h('section', { 'aria-labelledby': 'sessions-heading' },
        h('h2', { id: 'sessions-heading' }, 'Sessions'));
    let lastRevoked = null;
    if (inlineNames.includes(REVOKE_POLICY_NAME)) {
        const result = await ctx.api.iam('GetRolePolicy', { RoleName: roleName, PolicyName: REVOKE_POLICY_NAME });
        lastRevoked = revokedAt(decodePolicyDocument(childText(result, 'PolicyDocument'))) || 'unknown';
    }
    sessions.append(
        h('p', { id: 'sessions-revoked' }, lastRevoked
            ? `Sessions issued before ${lastRevoked} were revoked (inline policy ${REVOKE_POLICY_NAME}).`
            : 'Sessions of this role have never been revoked.'),
        h('div', { class: 'actions' }, actionButton('Revoke active sessions', async () => {
            const confirmed = await confirmDialog('Revoke active sessions?',
                `Every session of ${roleName} issued until now loses all permissions: the inline policy `
                + `${REVOKE_POLICY_NAME} denies all actions to sessions issued before now. Sessions issued `
                + 'afterwards are not affected. Applications using older credentials must assume the role again.',
                'Revoke active sessions');
            if (confirmed) {
                // The node's time, not the browser's: a browser clock running behind would spare recent sessions.
                const now = ctx.api.serverNow();
                if (!now) {
                    throw new AwsError('NoServerTime', 'The node\'s time is unknown; reload the page and retry.');
                }
                await ctx.api.iam('PutRolePolicy', {
                    RoleName: roleName, PolicyName: REVOKE_POLICY_NAME, PolicyDocument: revokePolicy(now),
                });
                ctx.navigate(window.location.hash);
            }
        }, { kind: 'danger', errorSlot: errors })), errors);

    const remove = actionButton('Delete role', async () => {
        if (await confirmDialog(`Delete role ${roleName}?`, `The role, its ${inlineNames.length} inline `
            + `polic${inlineNames.length === 1 ? 'y' : 'ies'} and its ${attached.length} managed policy `
            + 'attachments are removed; its sessions stop working.', 'Delete role')) {
            await deleteWithDependencies(ctx, 'roles', roleName, inlineNames, attached);
        }
    }, { kind: 'danger', errorSlot: errors });

    const boundary = child(role, 'PermissionsBoundary');
    replace(main,
        heading('roles', roleName),
        details([
            ['ARN', h('code', { id: 'role-arn' }, childText(role, 'Arn'))],
            ['Role ID', childText(role, 'RoleId')],
            ['Path', childText(role, 'Path')],
            ['Created', formatTime(childText(role, 'CreateDate'))],
            ['Description', childText(role, 'Description') || h('span', { class: 'muted' }, 'none')],
            ['Maximum session duration', `${childText(role, 'MaxSessionDuration')} seconds`],
            ['Permissions boundary', boundary ? childText(boundary, 'PermissionsBoundaryArn') : 'none'],
        ]),
        sessions,
        editablePolicy(ctx, {
            title: 'Trust policy', text: trust, policyType: 'TRUST_POLICY', id: 'trust-policy', headingLevel: 'h2',
            save: (text) => ctx.api.iam('UpdateAssumeRolePolicy', { RoleName: roleName, PolicyDocument: text }),
        }),
        permissions,
        h('h2', {}, 'Delete'),
        h('div', { class: 'actions' }, remove));
    return null;
}

async function userView(main, ctx, userName) {
    const user = child(await ctx.api.iam('GetUser', { UserName: userName }), 'User');
    const { section: permissions, inlineNames, attached } = await permissionsSection(ctx, 'users', userName);
    const groups = await ctx.api.iamAll('ListGroupsForUser', { UserName: userName }, 'Groups');
    const keys = await ctx.api.iamAll('ListAccessKeys', { UserName: userName }, 'AccessKeyMetadata');
    const errors = h('div');
    const remove = actionButton('Delete user', async () => {
        if (await confirmDialog(`Delete user ${userName}?`, `The user, its ${keys.length} access keys, its inline `
            + 'policies and managed policy attachments and its group memberships are removed.', 'Delete user')) {
            await deleteWithDependencies(ctx, 'users', userName, inlineNames, attached, async () => {
                for (const key of keys) {
                    await ctx.api.iam('DeleteAccessKey', { UserName: userName,
                        AccessKeyId: childText(key, 'AccessKeyId') });
                }
                for (const group of groups) {
                    await ctx.api.iam('RemoveUserFromGroup', { UserName: userName,
                        GroupName: childText(group, 'GroupName') });
                }
            });
        }
    }, { kind: 'danger', errorSlot: errors });
    replace(main,
        heading('users', userName),
        details([
            ['ARN', h('code', {}, childText(user, 'Arn'))],
            ['User ID', childText(user, 'UserId')],
            ['Path', childText(user, 'Path')],
            ['Created', formatTime(childText(user, 'CreateDate'))],
        ]),
        h('h2', {}, 'Groups'),
        groups.length === 0 ? h('p', {}, 'None.') : h('ul', {}, groups.map((group) => h('li', {},
            h('a', { href: `#/groups/${encodeURIComponent(childText(group, 'GroupName'))}` },
                childText(group, 'GroupName'))))),
        h('h2', {}, 'Access keys'),
        keys.length === 0 ? h('p', {}, 'None.') : table('Access keys', ['Access key ID', 'Status', 'Created'],
            keys.map((key) => h('tr', {}, h('td', {}, h('code', {}, childText(key, 'AccessKeyId'))),
                h('td', {}, childText(key, 'Status')), h('td', {}, formatTime(childText(key, 'CreateDate')))))),
        h('p', { class: 'hint' }, 'New access keys are made with the AWS CLI (aws iam create-access-key): the console '
            + 'never shows a secret.'),
        permissions,
        h('h2', {}, 'Delete'),
        h('div', { class: 'actions' }, remove), errors);
    return null;
}

async function groupView(main, ctx, groupName) {
    const result = await ctx.api.iam('GetGroup', { GroupName: groupName });
    const group = child(result, 'Group');
    const members = childMembers(result, 'Users');
    const { section: permissions, inlineNames, attached } = await permissionsSection(ctx, 'groups', groupName);
    const errors = h('div');
    const newMember = h('input', { id: 'add-member-name', autocomplete: 'off', spellcheck: 'false' });
    const remove = actionButton('Delete group', async () => {
        if (await confirmDialog(`Delete group ${groupName}?`, `Its ${members.length} members leave it, and its `
            + 'policies are removed.', 'Delete group')) {
            await deleteWithDependencies(ctx, 'groups', groupName, inlineNames, attached, async () => {
                for (const member of members) {
                    await ctx.api.iam('RemoveUserFromGroup', { GroupName: groupName,
                        UserName: childText(member, 'UserName') });
                }
            });
        }
    }, { kind: 'danger', errorSlot: errors });
    replace(main,
        heading('groups', groupName),
        details([
            ['ARN', h('code', {}, childText(group, 'Arn'))],
            ['Group ID', childText(group, 'GroupId')],
            ['Path', childText(group, 'Path')],
            ['Created', formatTime(childText(group, 'CreateDate'))],
        ]),
        h('h2', {}, 'Members'),
        members.length === 0 ? h('p', {}, 'None.') : table('Members', ['User', ''], members.map((member) =>
            h('tr', {}, h('td', {}, h('a', { href: `#/users/${encodeURIComponent(childText(member, 'UserName'))}` },
                childText(member, 'UserName'))),
            h('td', {}, actionButton('Remove from group', async () => {
                await ctx.api.iam('RemoveUserFromGroup', { GroupName: groupName,
                    UserName: childText(member, 'UserName') });
                ctx.navigate(window.location.hash);
            }, { kind: 'secondary', errorSlot: errors }))))),
        h('div', { class: 'toolbar' }, field('Add a user by name', newMember), actionButton('Add to group',
            async () => {
                await ctx.api.iam('AddUserToGroup', { GroupName: groupName, UserName: newMember.value.trim() });
                ctx.navigate(window.location.hash);
            }, { kind: 'secondary', errorSlot: errors })),
        permissions,
        h('h2', {}, 'Delete'),
        h('div', { class: 'actions' }, remove), errors);
    return null;
}

async function policyView(main, ctx, policyArn) {
    const policy = child(await ctx.api.iam('GetPolicy', { PolicyArn: policyArn }), 'Policy');
    const defaultVersion = childText(policy, 'DefaultVersionId');
    const version = child(await ctx.api.iam('GetPolicyVersion', { PolicyArn: policyArn, VersionId: defaultVersion }),
        'PolicyVersion');
    const versions = await ctx.api.iamAll('ListPolicyVersions', { PolicyArn: policyArn }, 'Versions');
    const document = decodePolicyDocument(childText(version, 'Document'));
    const awsManaged = policyArn.startsWith('arn:aws:iam::aws:');
    const errors = h('div');
    const remove = actionButton('Delete policy', async () => {
        if (await confirmDialog(`Delete policy ${childText(policy, 'PolicyName')}?`, 'The policy and all its '
            + 'versions are removed. It must first be detached from every role, user and group.', 'Delete policy')) {
            for (const old of versions) {
                if (childText(old, 'IsDefaultVersion') !== 'true') {
                    await ctx.api.iam('DeletePolicyVersion', { PolicyArn: policyArn,
                        VersionId: childText(old, 'VersionId') });
                }
            }
            await ctx.api.iam('DeletePolicy', { PolicyArn: policyArn });
            ctx.navigate('#/policies');
        }
    }, { kind: 'danger', errorSlot: errors });
    replace(main,
        heading('policies', childText(policy, 'PolicyName')),
        details([
            ['ARN', h('code', {}, policyArn)],
            ['Policy ID', childText(policy, 'PolicyId')],
            ['Path', childText(policy, 'Path')],
            ['Description', childText(policy, 'Description') || h('span', { class: 'muted' }, 'none')],
            ['Default version', defaultVersion],
            ['Attachments', childText(policy, 'AttachmentCount')],
            ['Created', formatTime(childText(policy, 'CreateDate'))],
            ['Updated', formatTime(childText(policy, 'UpdateDate'))],
        ]),
        awsManaged
            ? h('section', {}, h('h2', {}, 'Policy document'), policyBlock(document, 'policy-document'))
            : editablePolicy(ctx, {
                title: 'Policy document', text: document, policyType: 'IDENTITY_POLICY', id: 'policy-document',
                headingLevel: 'h2',
                save: (text) => ctx.api.iam('CreatePolicyVersion', { PolicyArn: policyArn, PolicyDocument: text,
                    SetAsDefault: 'true' }),
            }),
        awsManaged ? null : notice('Saving creates a new version and makes it the default; a policy keeps at most '
            + 'five versions.'),
        h('h2', {}, 'Versions'),
        table('Versions', ['Version', 'Default', 'Created'], versions.map((entry) => h('tr', {},
            h('td', {}, childText(entry, 'VersionId')),
            h('td', {}, childText(entry, 'IsDefaultVersion') === 'true' ? 'yes' : ''),
            h('td', {}, formatTime(childText(entry, 'CreateDate')))))),
        awsManaged ? null : h('h2', {}, 'Delete'),
        awsManaged ? null : h('div', { class: 'actions' }, remove),
        errors);
    return null;
}

