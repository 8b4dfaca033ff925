/**
 * @file trace_replay.h
 * @brief The trace engine: replay a recorded trace, or run a scripted
 *        scenario (.scn), through the real pipeline code with no sockets.
 *
 * Where it sits in the pipeline
 * -----------------------------
 * In place of the network: it creates CLIENT_FAKE_IO clients through the
 * real accept path, feeds them the recorded (or scripted) reads through
 * server.fake_io.read, accepts the recorded write sizes through
 * server.fake_io.write, and fires beforeSleep(), sendReplyToClient() and
 * the cron actions in the recorded order. What flows in: a trace file
 * (JSON Lines, schema 1) or a scenario script. What flows out: a new trace,
 * written by the normal emitter (trace.c) to the given stream.
 */
#ifndef __MINIRED_TRACE_REPLAY_H
#define __MINIRED_TRACE_REPLAY_H

#include <stdio.h>

int traceReplayFile(const char *in_path, FILE *out);
int traceRunScenario(const char *scn_path, FILE *out);

#endif /* __MINIRED_TRACE_REPLAY_H */
