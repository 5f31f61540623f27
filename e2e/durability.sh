#!/usr/bin/env bash
# An acknowledged write survives a crash: CreateRole returns, the server is killed with SIGKILL at once (no shutdown
# hook runs), and after a restart the role is there. Repeated, so that a lucky flush cannot pass for durability.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

e2e_name=durability
source e2e/lib/node.bash
trust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}'

start_server
for round in 1 2 3; do
    admin iam create-role --role-name "durable-$round" --assume-role-policy-document "$trust" >/dev/null \
        || fail "create-role durable-$round"
    kill_server
    start_server
    admin iam get-role --role-name "durable-$round" >/dev/null || fail "durable-$round was lost by SIGKILL"
done
echo "e2e/durability: ok (3 roles survived SIGKILL right after CreateRole)"
