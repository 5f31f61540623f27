#!/usr/bin/env bash
# Runs every fuzz test (the *FuzzTest classes, docs/SECURITY.md) for longer than the build does, each in a JVM of its
# own, and reports what they found.
#   bench/fuzz.sh [minutes per test, default 5, or a duration: 30s, 2h] [test class pattern, default *FuzzTest]
# A finding is a crash file the fuzzer writes beside the test's seeds, in
# <module>/src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>: from then on the build replays it like
# any seed, so the test fails until the bug is fixed. Reproduce one with the command printed for it; commit the file
# with the fix, as a regression seed. What each test learnt (its generated corpus) stays in
# <module>/.cifuzz-corpus/ (not committed) and is where the next run starts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration="${1:-5}"
[[ "$duration" =~ ^[0-9]+$ ]] && duration="${duration}m"
tests="${2:-*FuzzTest}"
modules=protocol,sigv4,policy,token,iam,verifier,federation

marker="$(mktemp)"
trap 'rm -f "$marker"' EXIT
start=$(date +%s)
echo "fuzz: $duration per test ($tests) in $modules" >&2
# Fail at the end, not at the first finding, so that every test gets its time.
# The fuzzer lists every class it instruments and every hook it loads: thousands of lines, left out.
set +e
mvn -B -ntp -o -fae -pl "$modules" -am test-compile surefire:test@fuzz \
    -Dfuzz.duration="$duration" -Dfuzz.tests="$tests" -Dsurefire.failIfNoSpecifiedTests=false 2>&1 \
    | grep --line-buffered -v '^INFO: \(Instrumented\|Loaded\)'
status=${PIPESTATUS[0]}
set -e

echo >&2
echo "fuzz: finished in $(( $(date +%s) - start )) s" >&2
for report in */target/surefire-reports/TEST-*FuzzTest.xml; do
    [ "$report" -nt "$marker" ] || continue
    name="$(basename "$report" .xml)"
    name="${name#TEST-}"
    if grep -q '<failure\|<error' "$report"; then
        echo "fuzz: FINDING in $name" >&2
    else
        echo "fuzz: ok $name" >&2
    fi
done
found=0
while IFS= read -r crash; do
    found=1
    module="${crash%%/src/*}"
    class="$(basename "$(dirname "$(dirname "$crash")")")"
    class="${class%Inputs}"
    echo "fuzz: crash file $crash" >&2
    echo "      reproduce: mvn -B -o -pl $module -am test -Dtest=$class -Dsurefire.failIfNoSpecifiedTests=false" >&2
done < <(find . -path '*/src/test/resources/*' \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) \
    -newer "$marker" -not -path './.git/*' 2>/dev/null)
if [ "$found" -eq 0 ] && [ "$status" -eq 0 ]; then
    echo "fuzz: no findings" >&2
fi
exit "$status"
