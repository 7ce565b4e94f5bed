# Sourced by CI steps that need the Node reference server. start_reference_server sets SERVER_URL;
# stop_reference_server closes the server's stdin, which is how it is told to stop.

start_reference_server() {
  local dir=tests/reference-server
  if [ ! -d "$dir/node_modules/@durable-streams/server" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
  coproc REFERENCE_SERVER { exec node "$dir/server.mjs"; }
  local line
  if ! read -r -t 30 line <&"${REFERENCE_SERVER[0]}"; then
    echo "the reference server did not report its URL within 30 s" >&2
    return 1
  fi
  SERVER_URL=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["url"])' "$line")
  echo "reference server at $SERVER_URL (pid $REFERENCE_SERVER_PID)"
}

stop_reference_server() {
  if [ -n "${REFERENCE_SERVER_PID:-}" ]; then
    local pid=$REFERENCE_SERVER_PID
    exec {REFERENCE_SERVER[1]}>&-
    wait "$pid" 2>/dev/null || true
  fi
}
