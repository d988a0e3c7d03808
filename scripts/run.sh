#!/usr/bin/env bash
# Start the dashboard with demo data: migrations, demo data on first start, a Celery worker
# with beat, and the Reflex app in production mode on one port. Ctrl-C stops everything.
set -euo pipefail
source "$(dirname "$0")/setup.sh"

PORT="${APP_PORT:-8000}"
export APP_PORT="$PORT"
export APP_URL="${APP_URL:-http://localhost:$PORT}"
export LOG_TO_FILE="${LOG_TO_FILE:-true}"  # JSON lines also in var/logs/billing.log, rotated
mkdir -p var

echo "==> Applying database migrations"
python -m billing_app.cli migrate
echo "==> Loading demo data (first start only)"
python -m billing_app.cli demo-data --if-empty --invoices "${DEMO_INVOICES:-3000}"
[ -f var/sample-statement.csv ] || python -m billing_app.cli sample-statement --out var/sample-statement.csv

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo; echo "==> Stopping"
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  sleep 3
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
}
trap stop_all INT TERM EXIT

if [ "${SMTP_HOST:-localhost}" = localhost ]; then
  echo "==> Starting the mail catcher (SMTP on localhost:${SMTP_PORT:-1025}; mails kept in var/mail/)"
  setsid python -m billing_app.mail.catcher --port "${SMTP_PORT:-1025}" --dir var/mail \
    > var/mail-catcher.log 2>&1 &
  pids+=($!)
fi

echo "==> Starting the Celery worker with beat"
setsid celery -A billing_app.tasks.celery_app worker -B --pool=solo --loglevel=INFO \
  --schedule var/celerybeat-schedule > var/celery.log 2>&1 &
pids+=($!)

echo "==> Building and starting the dashboard (first build takes a minute)"
setsid reflex run --env prod --single-port --backend-port "$PORT" --loglevel warning &
pids+=($!)

for _ in $(seq 1 300); do
  if curl -fs "http://localhost:$PORT/ping" >/dev/null 2>&1; then break; fi
  sleep 1
done
cat <<MSG

  Dashboard:  $APP_URL
  API docs:   $APP_URL/api/docs
  A bank statement to try the import with: var/sample-statement.csv
  Emails the app sends (Email log page): kept as files in var/mail/

  Demo sign-ins (password: demo-password-2026)
    admin@example.com       Admin
    accountant@example.com  Accountant
    viewer@example.com      Viewer
    client@example.com      Client

  Press Ctrl-C to stop.
MSG
wait
