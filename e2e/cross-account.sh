#!/usr/bin/env bash
# Cross-account AssumeRole with two accounts from the bootstrap file (e2e/cross-account.yaml), through the AWS CLI v2:
# a role of another account is assumed only when its trust policy names the caller or the caller's account AND the
# caller's own identity policy allows it (IAM User Guide, "Cross-account policy evaluation logic"); within one account
# a trust policy naming the user is enough on its own.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

e2e_name=cross-account
source e2e/lib/node.bash

start_server --bootstrap e2e/cross-account.yaml
credentials="$work/data/bootstrap-credentials"
[ "$(stat -c %a "$credentials")" = 600 ] || fail "bootstrap-credentials is not mode 600"

# as USER ROLE_ARN: assume ROLE_ARN with USER's bootstrap key; prints the session's ARN, or the error code.
as() {
    local user="$1" role="$2" out
    if out="$(AWS_SHARED_CREDENTIALS_FILE="$credentials" "$aws" --profile "$user@111111111111" \
            --endpoint-url "$endpoint" sts assume-role --role-arn "$role" --role-session-name "$user" \
            --query AssumedRoleUser.Arn --output text 2>"$work/err.txt")"; then
        echo "$out"
    else
        grep -o 'AccessDenied' "$work/err.txt" || cat "$work/err.txt" >&2
    fi
}

expect() {
    local user="$1" role="$2" want="$3" got
    got="$(as "$user" "$role")"
    [ "$got" = "$want" ] || fail "$user assuming $role: expected $want, got $got"
}

prod=arn:aws:iam::222222222222:role
# Trust names dev's account: alice (identity allows) gets in, bob (no identity policy) does not.
expect alice "$prod/trusts-dev-account" arn:aws:sts::222222222222:assumed-role/trusts-dev-account/alice
expect bob "$prod/trusts-dev-account" AccessDenied
# Trust names the users themselves: still only the one whose identity policy allows it.
expect alice "$prod/trusts-dev-users" arn:aws:sts::222222222222:assumed-role/trusts-dev-users/alice
expect bob "$prod/trusts-dev-users" AccessDenied
# Trust names no one of dev: nobody gets in, whatever their identity policy says.
expect alice "$prod/trusts-no-one-of-dev" AccessDenied
expect bob "$prod/trusts-no-one-of-dev" AccessDenied
# Within dev, a trust policy naming bob lets him in with no identity policy at all.
expect bob arn:aws:iam::111111111111:role/local-trusts-bob \
    arn:aws:sts::111111111111:assumed-role/local-trusts-bob/bob
expect alice arn:aws:iam::111111111111:role/local-trusts-bob AccessDenied

# The session alice got in prod acts as prod's role, in prod's account.
AWS_SHARED_CREDENTIALS_FILE="$credentials" "$aws" --profile alice@111111111111 --endpoint-url "$endpoint" \
    sts assume-role --role-arn "$prod/trusts-dev-account" --role-session-name alice >"$work/session.json" \
    || fail "alice could not assume trusts-dev-account"
account="$(AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    AWS_ACCESS_KEY_ID="$(jq -r .Credentials.AccessKeyId "$work/session.json")" \
    AWS_SECRET_ACCESS_KEY="$(jq -r .Credentials.SecretAccessKey "$work/session.json")" \
    AWS_SESSION_TOKEN="$(jq -r .Credentials.SessionToken "$work/session.json")" \
    "$aws" --endpoint-url "$endpoint" sts get-caller-identity --query Account --output text)" \
    || fail "get-caller-identity with the prod session"
[ "$account" = 222222222222 ] || fail "the prod session belongs to account $account"

echo "e2e/cross-account: ok (8 assume-role outcomes across two accounts)"
