/* answer — the run's verdict in plain words: two to four sentences that answer
 * the user's questions before the table does ("Will it trip? No. Is it allowed?
 * No: an 8-hour job may use 12.00 A of this 15 A circuit and the rig draws
 * 14.99 A. Fix: ..."). Built only from the verdict (verdict.h) and the figures
 * it judged (engine.h, scenario.h): it says nothing the table does not hold.
 */
#ifndef PSUSIM_ANSWER_H
#define PSUSIM_ANSWER_H

#include <stddef.h>

#include "engine.h"
#include "scenario.h"
#include "verdict.h"

enum { ANSWER_LEN = 2048 };

/* Writes the sentences into BUF (N bytes), one per line ('\n' after each).
 * Returns the number of sentences. */
int answer_text(const struct scenario *s, const struct engine_result *r,
                const struct verdict_report *v, char *buf, size_t n);

/* answer_text()'s two parts, for the report (report.md puts the fix under its
 * own heading): the questions (Will it trip? Is it allowed? Will the power
 * supply hold?), and the fix ("Fix: ...", only when the verdict is FAIL; 0
 * sentences and an empty BUF otherwise). Each returns its sentence count. */
int answer_questions(const struct scenario *s, const struct engine_result *r,
                     const struct verdict_report *v, char *buf, size_t n);
int answer_fix(const struct scenario *s, const struct engine_result *r,
               const struct verdict_report *v, char *buf, size_t n);

#endif
