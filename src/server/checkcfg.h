/* zorgd --check-config: validate a configuration and the certificates it names. */
#ifndef ZT_SERVER_CHECKCFG_H
#define ZT_SERVER_CHECKCFG_H

#include <stdio.h>

struct server_config;

/* Check cfg (listen address, log level, store location, certificate, key, client CA) and
 * write one line per finding to out. Returns the number of errors (0: zorgd can start
 * with this configuration as far as can be told without binding the port). */
int checkcfg_run(const struct server_config *cfg, FILE *out);

#endif
