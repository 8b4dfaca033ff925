/**
 * @file source.h
 * @brief Finding minired's src/ directory and reading its files for the
 *        viewer's source pane.
 *
 * Where it sits
 * -------------
 * Every trace event carries "src":"networking.c:611", the trace point that
 * wrote it. screen.c asks this module for the lines around it. What flows
 * in: a file name from the trace. What flows out: that file's lines.
 */
#ifndef MINIRED_VIEW_SOURCE_H
#define MINIRED_VIEW_SOURCE_H

const char *sourceFindDir(const char *given, const char *trace_path,
                          const char *header_src_dir);
int sourceLines(const char *dir, const char *file, const char ***lines);
void sourceFreeAll(void);

#endif /* MINIRED_VIEW_SOURCE_H */
