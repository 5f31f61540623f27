#!/usr/bin/env bash
# An acknowledged write survives a crash: CreateRole returns, the server is killed with SIGKILL at once (no shutdown
# hook runs), and after a restart the role is there. Repeated, so that a lucky flush cannot pass for durability.
# A clean stop (SIGTERM) right after AssumeRole keeps the role's last use, which is otherwise written every 5 seconds.
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

admin sts assume-role --role-arn arn:aws:iam::123456789012:role/durable-1 --role-session-name last-use >/dev/null \
    || fail "assume-role durable-1"
stop_server
grep -q "last-use records failed" "$work/server.log" && fail "a clean stop lost the last-use records: $(grep -A1 \
    "last-use records failed" "$work/server.log" | head -2)"
start_server
last_used="$(admin iam get-role --role-name durable-1 --query Role.RoleLastUsed.LastUsedDate --output text)"
[ -n "$last_used" ] && [ "$last_used" != "None" ] || fail "the role's last use was lost by a clean stop"
echo "e2e/durability: ok (3 roles survived SIGKILL right after CreateRole; a clean stop kept a role's last use)"
