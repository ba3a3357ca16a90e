#!/usr/bin/env bash
# Starts the action server (Python 3.11 core venv), the Rasa server (Python 3.10 venv) and the
# website (chat page + staff page, core venv), prints where to talk to them, and stops all three
# on Ctrl-C. Used by `make run`.
#
# Rasa and the action server listen on 127.0.0.1 only (RASA_INTERFACE, ACTION_HOST to change);
# the website on WEB_HOST (default 127.0.0.1). A process that exits is restarted, with a pause
# that grows, at most MAX_RESTARTS times in a row (a process that ran for 5 minutes starts its
# count afresh); every exit and restart is written to $LOG_DIR/supervisor.log (default logs/) and the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."

RASA_PORT="${RASA_PORT:-5005}"
ACTION_PORT="${ACTION_PORT:-5055}"
WEB_PORT="${WEB_PORT:-8000}"
WEB_HOST="${WEB_HOST:-127.0.0.1}"
RASA_INTERFACE="${RASA_INTERFACE:-127.0.0.1}"
export ACTION_HOST="${ACTION_HOST:-127.0.0.1}"
MAX_RESTARTS="${MAX_RESTARTS:-5}"
STABLE_S=300
LOG_DIR="${LOG_DIR:-logs}"
# The action server this script starts is the one Rasa must call (an inherited URL would point elsewhere).
export ACTION_ENDPOINT_URL="http://127.0.0.1:${ACTION_PORT}/webhook"
export RASA_TRACKER_DB="${RASA_TRACKER_DB:-$PWD/data/conversations.db}"
export RASA_TELEMETRY_ENABLED=false HF_HUB_OFFLINE=1 SQLALCHEMY_SILENCE_UBER_WARNING=1
mkdir -p "$(dirname "$RASA_TRACKER_DB")" "$LOG_DIR"

# The website signs its conversation cookies with this key; kept beside the data (mode 0600,
# outside git) so that a restart continues every visitor's conversation.
SECRET_FILE="$(dirname "$RASA_TRACKER_DB")/web-session-secret"
if [ -z "${WEB_SESSION_SECRET:-}" ]; then
  if [ ! -s "$SECRET_FILE" ]; then
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n=' >"$SECRET_FILE")
  fi
  WEB_SESSION_SECRET="$(cat "$SECRET_FILE")"
fi
export WEB_SESSION_SECRET

declare -A pid started restarts
log() { echo "$(date '+%F %T') $*" | tee -a "$LOG_DIR/supervisor.log" >&2; }

start_actions() {
  .venv/bin/python -m deploy.action_server --actions actions --port "$ACTION_PORT" >>"$LOG_DIR/actions.log" 2>&1 &
  pid[actions]=$!; started[actions]=$SECONDS
}
start_rasa() {
  PYTHONPATH="$PWD" .venv-rasa/bin/rasa run --model models/bot.tar.gz --port "$RASA_PORT" \
    --interface "$RASA_INTERFACE" --credentials credentials.yml --endpoints endpoints.yml >>"$LOG_DIR/rasa.log" 2>&1 &
  pid[rasa]=$!; started[rasa]=$SECONDS
}
start_web() {
  .venv/bin/incentives serve --host "$WEB_HOST" --port "$WEB_PORT" --rasa-url "http://127.0.0.1:${RASA_PORT}" \
    >>"$LOG_DIR/web.log" 2>&1 &
  pid[web]=$!; started[web]=$SECONDS
}

stop() {
  trap - INT TERM EXIT
  echo "正在停止… / stopping"
  for name in "${!pid[@]}"; do kill "${pid[$name]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

for name in actions rasa web; do restarts[$name]=0; "start_$name"; done

up() {
  curl -fs "http://127.0.0.1:${RASA_PORT}/webhooks/rest/" >/dev/null 2>&1 \
    && curl -fs "http://127.0.0.1:${ACTION_PORT}/health" >/dev/null 2>&1 \
    && curl -fs "http://127.0.0.1:${WEB_PORT}/healthz" >/dev/null 2>&1
}
for _ in $(seq 1 180); do
  up && break
  for name in "${!pid[@]}"; do
    kill -0 "${pid[$name]}" 2>/dev/null || { echo "$name failed to start; see $LOG_DIR/" >&2; tail -20 "$LOG_DIR/$name.log" >&2; exit 1; }
  done
  sleep 1
done
up || { echo "servers did not come up within 180 s; see $LOG_DIR/" >&2; exit 1; }

echo "知识产权惠企政策助手已启动 / the assistant is up:"
echo "  对话页 chat:      http://localhost:${WEB_PORT}/"
echo "  政策查询 staff:   http://localhost:${WEB_PORT}/staff"
echo "  REST:    POST http://localhost:${RASA_PORT}/webhooks/rest/webhook  {\"sender\": \"…\", \"message\": \"你好\"}"
echo "  WeChat:  http://localhost:${RASA_PORT}/webhooks/wechat/webhook  (needs WECHAT_TOKEN; see README)"
echo "  logs:    $LOG_DIR/{rasa,actions,web,supervisor}.log     Ctrl-C stops all three"

while true; do
  code=0; exited=""
  wait -n -p exited "${pid[@]}" 2>/dev/null || code=$?
  for name in actions rasa web; do
    if [ "${pid[$name]}" != "$exited" ] && kill -0 "${pid[$name]}" 2>/dev/null; then continue; fi
    (( SECONDS - started[$name] >= STABLE_S )) && restarts[$name]=0
    if (( restarts[$name] >= MAX_RESTARTS )); then
      log "$name exited (code $code) after $MAX_RESTARTS restarts in a row; giving up, see $LOG_DIR/$name.log"
      exit 1
    fi
    restarts[$name]=$(( restarts[$name] + 1 ))
    log "$name exited (code $code); restarting (${restarts[$name]}/$MAX_RESTARTS), see $LOG_DIR/$name.log"
    sleep $(( restarts[$name] * 2 ))
    "start_$name"
  done
done
