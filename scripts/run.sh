#!/usr/bin/env bash
# Starts the action server (Python 3.11 core venv), the Rasa server (Python 3.10 venv) and the
# website (chat page + staff page, core venv) on localhost, prints where to talk to them, and
# stops all three on Ctrl-C. Used by `make run`.
set -euo pipefail
cd "$(dirname "$0")/.."

RASA_PORT="${RASA_PORT:-5005}"
ACTION_PORT="${ACTION_PORT:-5055}"
WEB_PORT="${WEB_PORT:-8000}"
WEB_HOST="${WEB_HOST:-127.0.0.1}"
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:${ACTION_PORT}/webhook}"
export RASA_TRACKER_DB="${RASA_TRACKER_DB:-$PWD/data/conversations.db}"
export RASA_TELEMETRY_ENABLED=false HF_HUB_OFFLINE=1 SQLALCHEMY_SILENCE_UBER_WARNING=1
mkdir -p "$(dirname "$RASA_TRACKER_DB")" logs

pids=()
stop() {
  trap - INT TERM EXIT
  echo "正在停止… / stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/python -m rasa_sdk --actions actions --port "$ACTION_PORT" >logs/actions.log 2>&1 &
pids+=($!)
PYTHONPATH="$PWD" .venv-rasa/bin/rasa run --model models/bot.tar.gz --port "$RASA_PORT" \
  --credentials credentials.yml --endpoints endpoints.yml >logs/rasa.log 2>&1 &
pids+=($!)
.venv/bin/incentives serve --host "$WEB_HOST" --port "$WEB_PORT" --rasa-url "http://127.0.0.1:${RASA_PORT}" \
  >logs/web.log 2>&1 &
pids+=($!)

for _ in $(seq 1 180); do
  if curl -fs "http://127.0.0.1:${RASA_PORT}/webhooks/rest/" >/dev/null 2>&1 \
     && curl -fs "http://127.0.0.1:${ACTION_PORT}/health" >/dev/null 2>&1 \
     && curl -fs "http://127.0.0.1:${WEB_PORT}/healthz" >/dev/null 2>&1; then
    echo "知识产权惠企政策助手已启动 / the assistant is up:"
    echo "  对话页 chat:      http://localhost:${WEB_PORT}/"
    echo "  政策查询 staff:   http://localhost:${WEB_PORT}/staff"
    echo "  REST:    POST http://localhost:${RASA_PORT}/webhooks/rest/webhook  {\"sender\": \"…\", \"message\": \"你好\"}"
    echo "  WeChat:  http://localhost:${RASA_PORT}/webhooks/wechat/webhook  (needs WECHAT_TOKEN; see README)"
    echo "  logs:    logs/rasa.log, logs/actions.log, logs/web.log     Ctrl-C stops all three"
    wait -n "${pids[@]}"
    echo "a server exited; see logs/" >&2
    exit 1
  fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "a server failed to start; see logs/" >&2; tail -20 logs/*.log >&2; exit 1; }
  done
  sleep 1
done
echo "servers did not come up within 180 s; see logs/" >&2
exit 1
