#!/usr/bin/env bash
# The `./wrenn` client commands driven as a user would, against a running server (build/sdk-cli.sh starts it):
#   WRENN_TEST_URL=http://127.0.0.1:N WRENN_TEST_KEY=wrn_... bash build/cli-test.sh
# login into a throw-away HOME, sandbox create/ls/info/exec/cp/shell/pause/resume/kill, snapshot and template
# commands (a Dockerfile build included) and the bash completion. `sandbox shell` runs in a real terminal: tmux, on
# its own server socket, killed by that socket only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
: "${WRENN_TEST_URL:?the server URL}" "${WRENN_TEST_KEY:?an API key}"
unset WRENN_URL WRENN_API_KEY WRENN_SANDBOX_URL
WORK="$(mktemp -d /tmp/wrenn-cli-test.XXXXXX)"
export HOME="$WORK/home" XDG_CONFIG_HOME=""
mkdir -p "$HOME"
TMUX_SOCKET="wrenn-cli-test-$$"
SB=""
cleanup() {
  tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
  [ -z "$SB" ] || ./wrenn sandbox kill "$SB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
say() { echo "cli-test: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
check() { local what="$1"; shift; "$@" || fail "$what"; say "ok: $what"; }

./wrenn sandbox ls >/dev/null 2>"$WORK/err" && fail "sandbox ls before login should fail"
grep -q 'not logged in' "$WORK/err" || fail "sandbox ls before login: $(cat "$WORK/err")"
./wrenn login --url "$WRENN_TEST_URL" --key not-a-key >/dev/null 2>&1 && fail "login with a wrong key should fail"
./wrenn login --url "$WRENN_TEST_URL" --key "$WRENN_TEST_KEY" >/dev/null
check "login saves the key 0600 in a 0700 directory" \
  test "$(stat -c %a "$HOME/.config/wrenn/config") $(stat -c %a "$HOME/.config/wrenn")" = "600 700"

SB="$(./wrenn sandbox create --template base --metadata suite=cli-test)"
check "sandbox create prints the ID" grep -Eq '^sb-[0-9a-f]+$' <<<"$SB"
check "sandbox ls shows it" grep -q "^$SB " <(./wrenn sandbox ls)
check "sandbox ls --json lists it" python3 -c '
import json, sys
ids = [s["sandboxID"] for s in json.load(sys.stdin)]
sys.exit(0 if sys.argv[1] in ids else 1)' "$SB" < <(./wrenn sandbox ls --json)
check "sandbox info --json" python3 -c '
import json, sys
s = json.load(sys.stdin); sys.exit(0 if s["state"] == "running" and s["metadata"]["suite"] == "cli-test" else 1)' \
  < <(./wrenn sandbox info "$SB" --json)

set +e
out="$(./wrenn sandbox exec "$SB" -- sh -c 'echo out; echo err >&2; exit 7' 2>"$WORK/err")"
rc=$?
set -e
check "sandbox exec prints stdout" test "$out" = out
check "sandbox exec prints stderr" grep -qx err "$WORK/err"
check "sandbox exec exits with the command's code" test "$rc" = 7
check "sandbox exec passes arguments verbatim" test "$(./wrenn sandbox exec "$SB" -- printf '%s|' 'a b' '$HOME')" = 'a b|$HOME|'

mkdir -p "$WORK/up/tree/sub"
head -c $((5 << 20)) /dev/urandom >"$WORK/up/tree/big.bin"
echo hello >"$WORK/up/tree/sub/small.txt"
./wrenn sandbox cp "$WORK/up/tree" "$SB:/tmp/copied" 2>"$WORK/err"
check "cp reports what it copied" grep -q 'copied 2 files' "$WORK/err"
check "cp uploads a directory" test "$(./wrenn sandbox exec "$SB" -- sha256sum /tmp/copied/big.bin | cut -d' ' -f1)" \
  = "$(sha256sum "$WORK/up/tree/big.bin" | cut -d' ' -f1)"
mkdir -p "$WORK/down"
./wrenn sandbox cp "$SB:/tmp/copied" "$WORK/down" 2>/dev/null
check "cp downloads a directory (into an existing one, keeping its name)" diff -r "$WORK/up/tree" "$WORK/down/copied"
./wrenn sandbox cp "$SB:/tmp/copied/sub/small.txt" "$WORK/one.txt" 2>/dev/null
check "cp downloads a file" diff "$WORK/up/tree/sub/small.txt" "$WORK/one.txt"

# The shell in a real terminal (tmux), 100x30, then resized to 120x40; its exit code comes back.
tmux -L "$TMUX_SOCKET" new-session -d -s shell -x 100 -y 30 \
  "cd '$ROOT' && ./wrenn sandbox shell $SB; echo \$? > '$WORK/shell-rc'; sleep 30"
screen() { tmux -L "$TMUX_SOCKET" capture-pane -p -t shell; }
wait_for() {
  for _ in $(seq 1 120); do screen | grep -q "$1" && return 0; sleep 0.5; done
  say "the terminal showed:"; screen >&2; return 1
}
tmux -L "$TMUX_SOCKET" send-keys -t shell 'echo size=$(tput cols)x$(tput lines)' Enter
check "shell: the terminal's size reaches the sandbox" wait_for 'size=100x30'
tmux -L "$TMUX_SOCKET" resize-window -t shell -x 120 -y 40
sleep 1
tmux -L "$TMUX_SOCKET" send-keys -t shell 'echo now=$(tput cols)x$(tput lines)' Enter
check "shell: a resize follows" wait_for 'now=120x40'
tmux -L "$TMUX_SOCKET" send-keys -t shell 'exit 5' Enter
for _ in $(seq 1 60); do [ -s "$WORK/shell-rc" ] && break; sleep 0.5; done
check "shell exits with the shell's code" test "$(cat "$WORK/shell-rc" 2>/dev/null)" = 5

./wrenn sandbox pause "$SB" >/dev/null
check "sandbox pause" test "$(./wrenn sandbox info "$SB" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" = paused
./wrenn sandbox resume "$SB" >/dev/null
check "sandbox resume keeps files" test "$(./wrenn sandbox exec "$SB" -- cat /tmp/copied/sub/small.txt)" = hello

SNAP="cli-snap-$$"
check "snapshot create" test "$(./wrenn snapshot create "$SB" --name "$SNAP")" = "$SNAP"
check "snapshot ls --json" grep -q "\"$SNAP\"" <(./wrenn snapshot ls --json)
check "template ls shows base and the snapshot" bash -c "./wrenn template ls | grep -q '^base ' && ./wrenn template ls | grep -q '^$SNAP '"
check "snapshot rm" test "$(./wrenn snapshot rm "$SNAP")" = "$SNAP"

mkdir -p "$WORK/ctx"
echo 'copied into the template' >"$WORK/ctx/note.txt"
cat >"$WORK/ctx/Dockerfile" <<'DOCKERFILE'
FROM base
ENV GREETING="hello from the template"
WORKDIR /opt/app
RUN echo built > marker && \
    echo step output
COPY note.txt /opt/app/note.txt
CMD ["sleep", "infinity"]
DOCKERFILE
TPL="cli-tpl-$$"
./wrenn template build --name "$TPL" "$WORK/ctx" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "template build"; }
check "template build shows the steps' output live" grep -q '^step output$' "$WORK/build.log"
check "template build reports what it ignores" grep -q 'ignored' "$WORK/build.log"
T_SB="$(./wrenn sandbox create --template "$TPL")"
check "a sandbox from the built template has its files" \
  test "$(./wrenn sandbox exec "$T_SB" -- cat /opt/app/marker /opt/app/note.txt)" = "$(printf 'built\ncopied into the template')"
check "and its ENV in login shells" test "$(./wrenn sandbox exec "$T_SB" -- bash -lc 'echo $GREETING')" = "hello from the template"
./wrenn sandbox kill "$T_SB" >/dev/null
check "template rm" test "$(./wrenn template rm "$TPL")" = "$TPL"
printf 'FROM python:3.12\nRUN true\n' >"$WORK/ctx/Dockerfile.image"
./wrenn template build --name x -f "$WORK/ctx/Dockerfile.image" "$WORK/ctx" >/dev/null 2>"$WORK/err" && fail "FROM an image should fail"
check "FROM an image says it needs the Template API" grep -q 'Template API' "$WORK/err"

check "sandbox kill" test "$(./wrenn sandbox kill "$SB")" = "$SB"
./wrenn sandbox kill "$SB" >/dev/null 2>&1 && fail "a second kill should fail"
SB=""
check "bash completion completes subcommands" bash -c '
  eval "$(./wrenn completion bash)"; COMP_WORDS=(./wrenn sandbox c); COMP_CWORD=2; _wrenn
  [ "${COMPREPLY[*]}" = "create cp" ]'
check "zsh completion is a zsh script" grep -q '^#compdef wrenn' <(./wrenn completion zsh)
say "all client commands work"
