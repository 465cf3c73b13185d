#!/usr/bin/env bash
# Bulk seed benchmark: `equipflow seed --equipment N` against its ceiling, the same
# INSERT … SELECT generate_series run directly in psql (bulk_seed_ceiling.sql, 200,000 rows),
# alternating the two with hyperfine. Then one timed run of 1,000,000 rows.
# Needs a build (scripts/run or scripts/test did one) and the local PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-$HOME/.cache/equipflow/target}
bin=$target/debug/equipflow
[ -x "$bin" ] || { echo "build first (scripts/run or scripts/test): $bin is missing" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install -y hyperfine" >&2; exit 1; }
admin=${BENCH_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
db=equipflow_bench_seed
url=postgres://equipflow:equipflow@127.0.0.1:5432/$db
psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER equipflow"
DATABASE_URL=$url "$bin" migrate
DATABASE_URL=$url "$bin" seed --equipment 1 >/dev/null # categories and departments
hyperfine --warmup 1 --runs "${RUNS:-3}" \
  "DATABASE_URL=$url $bin seed --equipment 200000" \
  "psql $url -q -v tag=\$RANDOM\$RANDOM -f bench/bulk_seed_ceiling.sql"
psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER equipflow"
DATABASE_URL=$url "$bin" migrate
/usr/bin/time -f "1,000,000 rows: %e s wall, %M KiB max RSS (client)" \
  env DATABASE_URL=$url "$bin" seed --equipment 1000000 2>&1 | grep -v ' rows$' || true
