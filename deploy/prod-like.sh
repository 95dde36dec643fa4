#!/usr/bin/env bash
# A production-shaped Skolhubb on one machine: nginx in front of two gunicorn "nodes" on
# separate ports (no shared memory), PostgreSQL with Django's connection pool, Redis (cache,
# sessions with a database fallback, Celery broker), a Celery worker and Celery beat.
#
#   deploy/prod-like.sh start [--seed PUPILS]   # or: make prod-like [SEED=20000]
#   deploy/prod-like.sh status
#   deploy/prod-like.sh stop                    # stops only what start started (pid files)
#   deploy/prod-like.sh kill-node 1|2           # fault drills (tests/load/run_load.py uses these)
#   deploy/prod-like.sh start-node 1|2
#   deploy/prod-like.sh redis-stop | redis-start | worker-stop | worker-start
#
# Environment (defaults in brackets):
#   DATABASE_URL   [postgres://postgres@127.0.0.1:5432/skolhubb_prodlike], created if missing
#   REDIS_URL      [unset: a private redis-server on PRODLIKE_REDIS_PORT (6390) is started and
#                   stopped with the stack, so the Redis drill can stop it without touching
#                   anyone else's Redis; set REDIS_URL to use an existing one (no Redis drill)]
#   PRODLIKE_PORT  [8080] nginx;  PRODLIKE_WEB1_PORT/PRODLIKE_WEB2_PORT [8101/8102] gunicorn
#   PRODLIKE_WORKERS [2] gunicorn workers per node; CELERY_QUEUE [skolhubb-prodlike]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="$ROOT/var/prod-like"
VENV="$ROOT/.venv/bin"
PORT="${PRODLIKE_PORT:-8080}"
WEB1_PORT="${PRODLIKE_WEB1_PORT:-8101}"
WEB2_PORT="${PRODLIKE_WEB2_PORT:-8102}"
REDIS_PORT="${PRODLIKE_REDIS_PORT:-6390}"
WORKERS="${PRODLIKE_WORKERS:-2}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
mkdir -p "$RUN"

own_redis() { [ -z "${REDIS_URL:-}" ] || [ "${REDIS_URL}" = "redis://127.0.0.1:${REDIS_PORT}/0" ]; }

export_env() {
  export SKOLHUBB_ENV=production DEBUG=0
  export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/skolhubb_prodlike}"
  if own_redis; then export REDIS_URL="redis://127.0.0.1:${REDIS_PORT}/0"; fi
  export CELERY_QUEUE="${CELERY_QUEUE:-skolhubb-prodlike}"
  [ -f "$RUN/secret_key" ] || (umask 077 && "$VENV/python" -c "import secrets; print(secrets.token_urlsafe(64))" > "$RUN/secret_key")
  export SECRET_KEY_FILE="$RUN/secret_key"
  export ALLOWED_HOSTS="127.0.0.1,localhost"
  export CSRF_TRUSTED_ORIGINS="http://127.0.0.1:${PORT},http://localhost:${PORT}"
  # Plain HTTP on the loopback: no redirect to https (a real site terminates TLS in nginx).
  export SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0
  export STATIC_ROOT="$RUN/static" MEDIA_ROOT="${MEDIA_ROOT:-$RUN/media}"
  export SKOLHUBB_X_ACCEL_PREFIX=/_protected_media/
  # One proxy (nginx) in front of Django.
  export SKOLHUBB_PROXY_COUNT=1 AXES_PROXY_COUNT=1
  export SKOLHUBB_SITE_URL="http://127.0.0.1:${PORT}"
  export EMAIL_FILE_PATH="$RUN/mail"
  export SKOLHUBB_RELEASE="${SKOLHUBB_RELEASE:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo local)}"
  export DATABASE_POOL_MAX="${DATABASE_POOL_MAX:-4}"
}

alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid" 2>/dev/null)" 2>/dev/null; }

crash() {  # name: SIGKILL to the process group of the pid in var/prod-like/<name>.pid (a crash,
  # not a shutdown: the master and its workers at once). Never our own group.
  local pid pgid
  [ -f "$RUN/$1.pid" ] || { echo "$1: no pid file" >&2; return 1; }
  pid="$(cat "$RUN/$1.pid")"
  pgid="$(ps -o pgid= -p "$pid" | tr -d ' ')"
  if [ -n "$pgid" ] && [ "$pgid" != "$(ps -o pgid= -p $$ | tr -d ' ')" ]; then
    kill -KILL -- "-$pgid" 2>/dev/null || true
  else
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN/$1.pid"
  echo "$1 killed"
}

wait_http() {  # url seconds
  local i
  for i in $(seq 1 $(( $2 * 5 ))); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "timed out waiting for $1" >&2
  return 1
}

start_redis() {
  own_redis || return 0
  alive redis && return 0
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$RUN" --pidfile "$RUN/redis.pid" --logfile "$RUN/redis.log" --daemonize yes
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "redis did not start" >&2; return 1
}

start_node() {  # 1|2
  local n="$1" port
  port=$([ "$n" = 1 ] && echo "$WEB1_PORT" || echo "$WEB2_PORT")
  alive "web$n" && return 0
  GUNICORN_BIND="127.0.0.1:$port" GUNICORN_WORKERS="$WORKERS" GUNICORN_THREADS="${PRODLIKE_THREADS:-1}" \
    GUNICORN_NAME="skolhubb-web$n" GUNICORN_ACCESSLOG="$RUN/web$n-access.log" GUNICORN_ERRORLOG="$RUN/web$n.log" \
    "$VENV/gunicorn" --config "$ROOT/deploy/gunicorn.conf.py" --chdir "$ROOT" --pid "$RUN/web$n.pid" \
    --daemon config.wsgi:application
  wait_http "http://127.0.0.1:$port/health/" 30
}

start_worker() {
  alive worker && return 0
  (cd "$ROOT" && "$VENV/celery" -A config worker --loglevel=INFO --concurrency=2 --without-gossip \
    --without-mingle --pidfile="$RUN/worker.pid" --logfile="$RUN/worker.log" --detach)
  for _ in $(seq 1 300); do alive worker && return 0; sleep 0.1; done
  echo "worker did not start (see $RUN/worker.log)" >&2; return 1
}

start_beat() {
  alive beat && return 0
  (cd "$ROOT" && "$VENV/celery" -A config beat --loglevel=INFO --schedule="$RUN/celerybeat-schedule" \
    --pidfile="$RUN/beat.pid" --logfile="$RUN/beat.log" --detach)
  for _ in $(seq 1 300); do alive beat && return 0; sleep 0.1; done
  echo "beat did not start (see $RUN/beat.log)" >&2; return 1
}

start_nginx() {
  alive nginx && return 0
  sed -e "s#@RUN@#$RUN#g" -e "s#@PORT@#$PORT#g" -e "s#@WEB1_PORT@#$WEB1_PORT#g" -e "s#@WEB2_PORT@#$WEB2_PORT#g" \
    -e "s#@STATIC_ROOT@#$STATIC_ROOT#g" -e "s#@MEDIA_ROOT@#$MEDIA_ROOT#g" \
    "$ROOT/deploy/nginx/prod-like.conf.template" > "$RUN/nginx.conf"
  "$NGINX" -t -q -c "$RUN/nginx.conf" -p "$RUN" -g "error_log $RUN/nginx-error.log;"
  "$NGINX" -c "$RUN/nginx.conf" -p "$RUN" -g "error_log $RUN/nginx-error.log;"
  wait_http "http://127.0.0.1:$PORT/health/" 10
}

stop_one() {  # name
  local name="$1" pid
  [ -f "$RUN/$name.pid" ] || return 0
  pid="$(cat "$RUN/$name.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN/$name.pid"
}

cmd_start() {
  local seed=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --seed) seed="$2"; shift 2 ;;
      *) echo "unknown option $1" >&2; exit 2 ;;
    esac
  done
  [ -x "$NGINX" ] || { echo "nginx is missing: apt-get install nginx-light (or nginx)" >&2; exit 1; }
  export_env
  local dbname="${DATABASE_URL##*/}"; dbname="${dbname%%\?*}"
  createdb -h 127.0.0.1 -U postgres "$dbname" 2>/dev/null || true
  start_redis
  (cd "$ROOT" && "$VENV/python" manage.py migrate --noinput -v 0)
  (cd "$ROOT" && "$VENV/python" manage.py collectstatic --noinput -v 0)
  if [ -n "$seed" ]; then (cd "$ROOT" && "$VENV/python" manage.py seed_demo --pupils "$seed" | tail -1); fi
  (cd "$ROOT" && "$VENV/python" manage.py shell -c "from config.generations import bump_everything; bump_everything()")
  start_node 1
  start_node 2
  start_worker
  start_beat
  start_nginx
  cmd_status
  echo "Skolhubb (prod-like) på http://127.0.0.1:$PORT/  — stoppa med: deploy/prod-like.sh stop"
}

cmd_stop() {
  export_env
  stop_one nginx
  stop_one web1
  stop_one web2
  stop_one beat
  stop_one worker
  if own_redis; then stop_one redis; fi
  echo "stopped"
}

cmd_status() {
  export_env
  local name
  for name in nginx web1 web2 worker beat redis; do
    if alive "$name"; then echo "$name: running (pid $(cat "$RUN/$name.pid"))"; else echo "$name: stopped"; fi
  done
  curl -sS "http://127.0.0.1:$PORT/health/ready/" 2>/dev/null && echo || echo "nginx: not answering"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  kill-node) export_env; crash "web$2" ;;
  start-node) export_env; start_node "$2" ;;
  redis-stop) export_env; own_redis || { echo "not our Redis" >&2; exit 1; }; stop_one redis ;;
  redis-start) export_env; start_redis ;;
  worker-stop) export_env; crash worker ;;
  worker-start) export_env; start_worker ;;
  # Run a Python script or manage.py command with the stack's environment (same SECRET_KEY,
  # database and Redis): deploy/prod-like.sh python tests/load/forge_sessions.py 500
  python) export_env; shift; cd "$ROOT" && exec "$VENV/python" "$@" ;;
  *) sed -n '2,20p' "$0"; exit 2 ;;
esac
