#!/usr/bin/python3
"""test_export_jq.py - Perfetto export and the documented jq one-liners, on
a real trace.

A short live session is recorded first (tracelib.record_session: redis-cli
commands, a 20,000-byte reply, 1,000 pipelined SETs, a protocol error, a
slow reader), then:

    perfetto/json       `bin/minired-trace export --perfetto TRACE` prints
                        a JSON array (parsed with python3's json)
    perfetto/events     every element is an object with name and ph
    perfetto/counters   for every client of the trace there are counter
                        ("ph":"C") events carrying qb_pos, bufpos, sentlen
                        and reply_bytes (as counter names or args keys)
    jq/N                every fenced block of docs/trace-format.md that
                        starts with `jq` (or is tagged jq) runs with bash on
                        the trace: any FILE.jsonl it names is replaced by
                        the trace, and if it names none the trace is given
                        on stdin. Each must exit 0 and print something.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

import tracelib as tl
from tracelib import TestFailure, check

rep = tl.harness.Reporter()
DOC = os.path.join(tl.REPO, 'docs', 'trace-format.md')
FIELDS = ('qb_pos', 'bufpos', 'sentlen', 'reply_bytes')


def perfetto(trace, tmp):
    out = os.path.join(tmp, 'perfetto.json')
    parsed = None
    with rep.case('perfetto/json'):
        p = tl.tool_out(['export', '--perfetto', trace], out)
        tl.require_ok(p, 'export --perfetto')
        with open(out, 'rb') as f:
            parsed = json.load(f)
        check(isinstance(parsed, list), 'top level is a %s, not an array'
              % type(parsed).__name__)
        check(parsed, 'the array is empty')
    if not isinstance(parsed, list):
        return
    with rep.case('perfetto/events'):
        bad = [e for e in parsed if not isinstance(e, dict)
               or 'ph' not in e or 'name' not in e]
        check(not bad, '%d elements without name/ph, first %s'
              % (len(bad), json.dumps(bad[:1])[:200]))
    with rep.case('perfetto/counters'):
        clients = sorted({e['tid'] for e in tl.events(trace)
                          if e.get('tid') and e.get('cat') == 'accepted'})
        check(clients, 'no accepted client in the trace')
        counters = [e for e in parsed if isinstance(e, dict)
                    and e.get('ph') == 'C']
        check(counters, 'no counter ("ph":"C") events')
        missing = []
        for cid in clients:
            seen = set()
            for e in counters:
                name = str(e.get('name', ''))
                mine = (e.get('tid') == cid or e.get('id') == cid or
                        re.search(r'(^|\D)%d(\D|$)' % cid, name))
                if mine:
                    seen.add(name)
                    seen.update((e.get('args') or {}).keys())
            lacking = [f for f in FIELDS
                       if not any(f in s for s in seen)]
            if lacking:
                missing.append('client %d lacks %s' % (cid, ','.join(lacking)))
        check(not missing, '; '.join(missing[:5]))


def jq_blocks(text):
    """The fenced blocks that are jq one-liners: (first line no, text)."""
    blocks, cur, info, start = [], None, '', 0
    for no, line in enumerate(text.splitlines(), 1):
        m = re.match(r'^\s*(```+|~~~+)\s*(\S*)', line)
        if m and cur is None:
            cur, info, start = [], m.group(2), no + 1
            continue
        if m and cur is not None and not m.group(2):
            body = '\n'.join(cur).strip()
            first = re.sub(r'^\$\s+', '', body)
            if info == 'jq' or first.startswith('jq '):
                blocks.append((start, body))
            cur = None
            continue
        if cur is not None:
            cur.append(line)
    return blocks


def jq_docs(trace):
    if not os.path.exists(DOC):
        rep.emit('FAIL', 'jq/doc', '%s missing' % DOC)
        return
    with open(DOC, encoding='utf-8') as f:
        blocks = jq_blocks(f.read())
    if not blocks:
        rep.emit('FAIL', 'jq/doc', 'no fenced block starting with jq in %s'
                 % DOC)
        return
    for start, body in blocks:
        with rep.case('jq/line-%d' % start):
            # drop "$ " prompts; a bare `jq FILTER` reads the trace on stdin
            script = '\n'.join(re.sub(r'^\$\s+', '', l)
                               for l in body.splitlines())
            named = re.search(r'\S+\.jsonl\b', script)
            script = re.sub(r'[^\s\'"|<>]+\.jsonl\b', trace, script)
            with open(trace, 'rb') as stdin:
                p = subprocess.run(['bash', '-o', 'pipefail', '-c', script],
                                   stdin=subprocess.DEVNULL if named
                                   else stdin, capture_output=True,
                                   timeout=120, cwd=tl.REPO)
            shown = ' '.join(script.split())[:120]
            check(p.returncode == 0, '`%s` exited %d: %s'
                  % (shown, p.returncode,
                     p.stderr.decode(errors='replace').strip()[-200:]))
            check(p.stdout.strip(), '`%s` printed nothing' % shown)
            first = p.stdout.decode(errors='replace').splitlines()[0]
            print('    %s -> %s' % (shown[:60], first[:80]))


def main():
    if not tl.require_tool(rep, 'export'):
        return 1
    tmp = tempfile.mkdtemp(prefix='minired-export-')
    trace = os.path.join(tmp, 'session.jsonl')
    try:
        ok = False
        with rep.case('export/record'):
            tl.record_session(trace)
            ok = True
        if ok:
            perfetto(trace, tmp)
            jq_docs(trace)
    finally:
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    return rep.exit_code()


if __name__ == '__main__':
    sys.exit(main())
