#!/usr/bin/python3
"""make-seeds.py - (re)build the checked-in seed corpus fuzz/corpus/<target>/.

Where it sits: before `make fuzz`. libFuzzer starts from these inputs and
mutates them, so each seed is a small, valid example of what its target
parses:
  fuzz_request       tests/corpus/*.session bytes (the raw RESP/inline a
                     client sends), behind the 6-byte header fuzz_request.c
                     reads (settings, 4 read sizes, write seed), with a few
                     different cuts;
  fuzz_config        a few redis.conf-style texts (written here);
  fuzz_scenario      tests/scenarios/*.scn (send-file lines dropped: the
                     fuzzer refuses them);
  fuzz_trace_loader  the first lines of tests/golden/*.jsonl.
Run it from the repository root: /usr/bin/python3 fuzz/make-seeds.py
Existing seeds are overwritten; the corpus is small (a few hundred KB).
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
MAX_REQUEST = 4096      # matches -max_len of fuzz_request in fuzz/run.sh
MAX_TRACE_LINES = 40


def unescape(text):
    """Decode a session line's C-style escapes (\\r \\n \\t \\\\ \\0 \\xHH)."""
    out = bytearray()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            simple = {"r": b"\r", "n": b"\n", "t": b"\t", "\\": b"\\", "0": b"\0"}
            if nxt in simple:
                out += simple[nxt]
                i += 2
                continue
            if nxt == "x" and re.match(r"[0-9a-fA-F]{2}", text[i + 2:i + 4]):
                out.append(int(text[i + 2:i + 4], 16))
                i += 4
                continue
        out += ch.encode()
        i += 1
    return bytes(out)


def session_bytes(path):
    """All bytes a .session sends, in order (@repeat applied)."""
    data = bytearray()
    last = b""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith(">> "):
                last = unescape(line[3:])
                data += last
            elif line.startswith("> "):
                last = unescape(line[2:])
                data += last
            elif line.startswith("@repeat "):
                n = int(line.split()[1])
                data += last * (n - 1)
            if len(data) > MAX_REQUEST:
                break
    return bytes(data[:MAX_REQUEST])


def write(target, name, payload):
    """Store one seed file."""
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as fh:
        fh.write(payload)


def main():
    # Headers: settings, 4 read sizes, write seed (see fuzz_request.c).
    cuts = [bytes([0x00, 0, 0, 0, 0, 0]),          # one client, 16 KB reads
            bytes([0x10, 1, 1, 1, 1, 7]),          # 1-byte reads, short writes
            bytes([0x14, 5, 17, 3, 64, 42])]       # two clients, odd cuts
    for k, path in enumerate(sorted(glob.glob(os.path.join(ROOT, "tests/corpus/*.session")))):
        name = os.path.basename(path)[:-len(".session")]
        write("fuzz_request", name, cuts[k % len(cuts)] + session_bytes(path))
    write("fuzz_request", "auth", bytes([0x01, 0, 0, 0, 0, 0]) +
          b"GET a\r\nAUTH pw\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n")
    write("fuzz_request", "small-qbuf", bytes([0x02, 0, 0, 0, 0, 0]) +
          b"*1\r\n$2000\r\n" + b"x" * 1500)

    configs = {
        "basic": "port 6380\nbind 127.0.0.1 ::1\ntimeout 0\nloglevel notice\n",
        "quotes": "requirepass \"a b\\x41\"\n# comment\n\nhz 100\ndatabases 4\n",
        "ignored": "save 900 1\nappendonly no\nmaxmemory 100mb\ntcp-keepalive 60\n",
        "limits": "client-query-buffer-limit 1mb\nproto-max-bulk-len 512mb\nmaxclients 100\n",
        "errors": "port 99999\n",
        "unbalanced": "requirepass \"abc\n",
        "socket": "unixsocket /tmp/x.sock\nunixsocketperm 700\nprotected-mode no\n",
    }
    for name, text in configs.items():
        write("fuzz_config", name, text.encode())

    for path in sorted(glob.glob(os.path.join(ROOT, "tests/scenarios/*.scn"))):
        with open(path, "rb") as fh:
            lines = [l for l in fh.read().split(b"\n") if b"send-file" not in l]
        write("fuzz_scenario", os.path.basename(path), b"\n".join(lines))

    for path in sorted(glob.glob(os.path.join(ROOT, "tests/golden/*.jsonl"))):
        with open(path, "rb") as fh:
            lines = fh.read().split(b"\n")[:MAX_TRACE_LINES]
        write("fuzz_trace_loader", os.path.basename(path), b"\n".join(lines) + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
