# The workshop's steps (exercises/workshop/README.md): read by
# scripts/workshop and tests/labs/test_workshop.py.
#
# Each step is the whole body of region `inline-parse` (lab 1's region in
# src/networking.c, processInlineBuffer) at that point of the live coding:
# steps/N-NAME.c. The last step is the reference, line for line (a test
# checks it), so `scripts/workshop step 4` also restores the tree.
#
# Per step: NAME, TITLE (what the step adds, one line), MINUTES (time in the
# 90-minute plan), SCENARIO (what to run after it), REPLIES {client: the
# exact bytes it receives in that scenario at this step}, ASK (the question
# to put to the room before running it), SHOW (what to point at in the
# viewer), TRY (what to type in the client pane).

STEPS = [
    dict(n=0, name='blank', minutes=10,
         title='a blank processInlineBuffer(): every inline request waits',
         scenario='exercises/workshop/scenarios/step0-blank.scn',
         replies={3: b'', 4: b'+PONG\r\n'},
         ask='A sends PING as a line of text, B sends it as redis-cli does. '
             'Who gets +PONG?',
         show='step 5 (A\'s read): querybuf "PING\\r\\n", qb_pos 0; step 8 '
              '"need-more"; B\'s read (step 9) goes through the multibulk '
              'parser (steps 12-14) and gets +PONG',
         try_='PING   (nothing comes back; in window 1, redis-cli -p PORT ping '
              'gets PONG)'),
    dict(n=1, name='line', minutes=15,
         title='find the end of the line; consume it and its "\\r\\n" or "\\n"',
         scenario='exercises/workshop/scenarios/step1-line.scn',
         replies={3: b''},
         ask='"PING\\r\\nPING\\n" arrives 4 bytes per read. After which read '
             'does qb_pos first move, and to what? What is in querybuf when '
             'the third read arrives?',
         show='read 2: qb_pos 0 -> 6, then the trim leaves "PI" at qb_pos 0; '
              'read 3: qb_pos 0 -> 5; "parsed argc=0", no reply yet',
         try_='PING   (still nothing: the line is consumed, but argc is 0)'),
    dict(n=2, name='words', minutes=20,
         title='split the line into words (sdssplitargs) and fill argv',
         scenario='exercises/workshop/scenarios/step2-words.scn',
         replies={3: b'+OK\r\n$3\r\na b\r\n', 4: b''},
         ask='SET "my key" \'a b\': how many arguments, and which? What '
             'happens to B, whose quote never closes?',
         show='step 8: argc=3, argv=[SET "my key" "a b"] in the viewer; '
              'B\'s querybuf keeps its whole line, qb_pos stays 0, and its last '
              'step (37) says "need-more": at this step that is how the parser '
              'gives up',
         try_='SET "my key" \'a b\'   then   GET "my key"'),
    dict(n=3, name='quotes', minutes=15,
         title='an unbalanced quote is a protocol error (Redis 5.0\'s text)',
         scenario='exercises/workshop/scenarios/step3-quotes.scn',
         replies={3: b'+PONG\r\n',
                  4: b'-ERR Protocol error: unbalanced quotes in request\r\n'},
         ask='B sends SET k "v and PING in one read; then A sends PING. What '
             'does B receive? And A?',
         show='step 14: B\'s "protocol-error", flags CLOSE_AFTER_REPLY, its PING '
              'still in querybuf (qlen 16); A is answered (steps 15-30); B\'s '
              'error is written and B freed (steps 32-34)',
         try_='SET k "v   (the error, then the connection closes; the next '
              'line you type reconnects)'),
    dict(n=4, name='too-big', minutes=15,
         title='more than 64 KB without a newline: "too big inline request" '
               '(the reference)',
         scenario='exercises/workshop/scenarios/step4-too-big.scn',
         replies={3: b'-ERR Protocol error: too big inline request\r\n'},
         ask='70,000 bytes and no newline, read 16 KB at a time: after which '
             'read does the server give up?',
         show='querybuf grows 16384 per read; the fifth read (70,000 > 65,536) '
              'ends in "protocol-error"',
         try_='(in window 1) scripts/workshop flood 70000'),
]
