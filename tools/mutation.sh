#!/usr/bin/env bash
# Mutation testing of the integration logic: mutmut over ASINFO's sync, shipments, relabelling and outbox and
# Komet's shipping, box codes, receipt, AWB lists and orders, killed by the scenario library plus the tests of
# those modules. Long (hours on two cores): run it in the background, niced, one at a time; never in CI.
#
#   tools/mutation.sh                 # a clean copy of HEAD in $MUTATION_DIR (default /tmp/kasim-mutation)
#   MUTATION_CHILDREN=1 tools/mutation.sh
#   MUTATION_SAMPLE=25 tools/mutation.sh   # 25 mutants drawn at random per module (seed MUTATION_SEED, default 1)
#
# A whole run is thousands of mutants and each survivor costs the whole kill test (minutes), so on a shared
# two-core machine a sample is how a score is measured in an afternoon; the report says which it is.
#
# It writes reports/mutation.md (score per module; survivors; the equivalent mutants of
# tools/mutation-equivalents.txt and those tools/mutation_equivalence.py recognises, left out of the score and
# of the sample). Run again, it resumes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=${MUTATION_DIR:-/tmp/kasim-mutation}
CHILDREN=${MUTATION_CHILDREN:-2}
TARGETS=(
  asinfo_sim/domain/sync.py asinfo_sim/domain/sync_values.py asinfo_sim/domain/sync_lines.py
  asinfo_sim/domain/sync_log.py
  asinfo_sim/domain/shipments.py asinfo_sim/domain/shipment_lines.py asinfo_sim/domain/shipment_reconcile.py
  asinfo_sim/domain/relabelling.py
  asinfo_sim/domain/outbox.py
  komet_sim/domain/shipping.py komet_sim/domain/box_codes.py komet_sim/domain/receiving.py
  komet_sim/domain/awb_lists.py
  komet_sim/domain/orders.py
)
# The kill test: the scenario library, every test of the two simulators and of recordings (no browser, no
# explorer runs).
# mutmut runs, for each mutant, only the tests that executed the mutated function.
KILL_TESTS=(scenarios/ tests/asinfo/ tests/komet/ tests/recording/)

if [ ! -d "$WORK/.venv" ]; then
  mkdir -p "$WORK"
  git archive HEAD | tar -x -C "$WORK"
  python3 -m venv "$WORK/.venv"
  "$WORK/.venv/bin/pip" install -q -e "$WORK[test]" "mutmut==3.8.1"
  # The packages are copied whole; only the targets are mutated.
  {
    echo
    echo "[tool.mutmut]"
    echo "source_paths = [\"asinfo_sim/\", \"komet_sim/\"]"
    echo "also_copy = [\"simkit/\", \"harness/\", \"scenarios/\", \"tools/\"]"
    printf 'only_mutate = ['
    for t in "${TARGETS[@]}"; do printf '"%s", ' "$t"; done
    echo ']'
    # The socket copies of the API tests repeat the in-process ones and wait on real time: left out.
    echo 'pytest_add_cli_args = ["-p", "no:cacheprovider", "-k", "not socket"]'
    printf 'pytest_add_cli_args_test_selection = ['
    for t in "${KILL_TESTS[@]}"; do [ -e "$WORK/$t" ] && printf '"%s", ' "$t"; done
    echo ']'
  } >> "$WORK/pyproject.toml"
fi

cd "$WORK"
if [ -n "${MUTATION_SAMPLE:-}" ]; then
  # A name that matches nothing makes mutmut generate the mutants and time the tests, then stop.
  nice -n 19 .venv/bin/mutmut run "generate-only-no-such-mutant" >/dev/null 2>&1 || true
  mapfile -t SAMPLE < <(.venv/bin/python "$ROOT/tools/mutation_sample.py" "$WORK" "$MUTATION_SAMPLE" "${MUTATION_SEED:-1}" \
    "$ROOT/tools/mutation-equivalents.txt")
  nice -n 19 .venv/bin/mutmut run --max-children "$CHILDREN" "${SAMPLE[@]}" || true
else
  nice -n 19 .venv/bin/mutmut run --max-children "$CHILDREN" || true  # resumes where it stopped
fi
mkdir -p "$ROOT/reports"
.venv/bin/python "$ROOT/tools/mutation_report.py" "$WORK" "$ROOT/tools/mutation-equivalents.txt" \
  > "$ROOT/reports/mutation.md"
cat "$ROOT/reports/mutation.md"
