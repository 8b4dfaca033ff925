#!/usr/bin/env bash
# test_anchors.sh - self-test of scripts/check-anchors.sh.
#
# Builds small throw-away trees in a temp directory, one per case, runs the
# checker on each and checks it passes the good tree and fails every bad one
# for the right reason. Prints one PASS/FAIL line per case (the line protocol
# tests/run-all.sh counts).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CHECK="$HERE/../../scripts/check-anchors.sh"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# make_tree DIR: a tree with one good file and a chapter that quotes it.
make_tree() {
    mkdir -p "$1/src" "$1/chapters"
    cat > "$1/src/networking.c" <<'EOF'
/* A file with two regions, one inside the other (different names). */
/* ANCHOR: networking-outer */
int outer(void) {
    /* ANCHOR: networking-inner */
    return 1;
    /* ANCHOR_END: networking-inner */
}
/* ANCHOR_END: networking-outer */
EOF
    cat > "$1/chapters/01-read.md" <<'EOF'
# Reading
{{#anchor src/networking.c:networking-outer}}
and {{#anchor src/networking.c:networking-inner}}
EOF
}

# case NAME EXPECT(pass|fail) GREP-PATTERN: run the checker on $TMP/NAME.
run_case() {
    local name=$1 expect=$2 pattern=$3 out rc
    out=$(bash "$CHECK" "$TMP/$name" 2>&1); rc=$?
    if [ "$expect" = pass ]; then
        if [ $rc -eq 0 ]; then echo "PASS anchors-$name"
        else echo "FAIL anchors-$name: checker failed a good tree: $(tail -n 2 <<<"$out" | tr '\n' ' ')"; fi
    else
        if [ $rc -eq 0 ]; then
            echo "FAIL anchors-$name: checker accepted a bad tree"
        elif ! grep -q -- "$pattern" <<<"$out"; then
            echo "FAIL anchors-$name: failed without saying \"$pattern\": $(tr '\n' ' ' <<<"$out")"
        else
            echo "PASS anchors-$name"
        fi
    fi
}

make_tree "$TMP/good"
run_case good pass ''

make_tree "$TMP/missing-ref"
echo '{{#anchor src/networking.c:networking-nope}}' >> "$TMP/missing-ref/chapters/01-read.md"
run_case missing-ref fail 'no anchor "networking-nope"'

make_tree "$TMP/missing-file"
echo '{{#anchor src/nofile.c:networking-outer}}' >> "$TMP/missing-file/chapters/01-read.md"
run_case missing-file fail 'file src/nofile.c not found'

make_tree "$TMP/unclosed"
printf '/* ANCHOR: networking-open */\nint x;\n' >> "$TMP/unclosed/src/networking.c"
run_case unclosed fail 'never closed'

make_tree "$TMP/stray-end"
printf 'int y;\n/* ANCHOR_END: networking-stray */\n' >> "$TMP/stray-end/src/networking.c"
run_case stray-end fail 'without a matching ANCHOR'

make_tree "$TMP/nested-same"
printf '/* ANCHOR: networking-twice */\n/* ANCHOR: networking-twice */\n/* ANCHOR_END: networking-twice */\n' \
    >> "$TMP/nested-same/src/networking.c"
run_case nested-same fail 'opened again inside itself'

make_tree "$TMP/duplicate"
printf '/* ANCHOR: networking-outer */\nint z;\n/* ANCHOR_END: networking-outer */\n' \
    > "$TMP/duplicate/src/reply.c"
run_case duplicate fail 'duplicated'

make_tree "$TMP/not-alone"
printf 'int w; /* ANCHOR: networking-inline */\n/* ANCHOR_END: networking-inline */\n' \
    >> "$TMP/not-alone/src/networking.c"
run_case not-alone fail 'alone on its line'

make_tree "$TMP/bad-name"
printf '/* ANCHOR: Networking_Bad */\n/* ANCHOR_END: Networking_Bad */\n' \
    >> "$TMP/bad-name/src/networking.c"
run_case bad-name fail 'lowercase-with-dashes'

# The ref names a real anchor, but from the wrong file.
make_tree "$TMP/wrong-file"
printf '/* ANCHOR: reply-buffer */\n/* ANCHOR_END: reply-buffer */\n' > "$TMP/wrong-file/src/reply.c"
echo '{{#anchor src/networking.c:reply-buffer}}' >> "$TMP/wrong-file/chapters/01-read.md"
run_case wrong-file fail 'defined in src/reply.c'
