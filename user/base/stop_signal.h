/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * How record, top and export end on a signal: SIGINT, SIGTERM and SIGHUP only
 * set nnp_stop_signal, and the command's loop ends on its next turn, writing
 * or releasing what it holds; SIGPIPE is ignored (a closed pipe or socket is
 * an EPIPE error where it happens). Install before attaching anything, so a
 * signal during a slow attach still ends cleanly.
 */
#ifndef NNP_STOP_SIGNAL_H
#define NNP_STOP_SIGNAL_H

#include <signal.h>

/* the signal that asked to stop, 0 while none has */
extern volatile sig_atomic_t nnp_stop_signal;

void nnp_stop_signal_install(void);

#endif /* NNP_STOP_SIGNAL_H */
