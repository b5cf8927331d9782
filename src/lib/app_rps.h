/* rps.fcgi: Falconieri's API in front of the vendors' redirect services,
 * so that its users move over unchanged (README of
 * https://github.com/nethesis/falconieri):
 *
 *   PUT    /providers/{provider}/{mac}  {"url": "..."}  register/override
 *   DELETE /providers/{provider}/{mac}                  deregister
 *   GET    /providers/{provider}/{mac}                  the vendor's check
 *
 * with ?crc=XXXX for a Gigaset MAC-ID.  Users with the rps or admin role
 * only.  Answers are JSON: {"provider", "mac", "outcome", "message"} on
 * success, {"error", "message"} otherwise, with Falconieri's error words;
 * 502 when the vendor refused or answered nonsense, 504 on a timeout. */
#ifndef DESKPROV_APP_RPS_H
#define DESKPROV_APP_RPS_H

#include "app.h"
#include "http.h"

void	app_rps_handle(struct app *, const struct request *,
	    struct response *, struct logline *);

/* The redirect-service configuration of the process, loaded on first
 * need (borrowed until app_free); NULL with the reason in d. */
const struct rps_conf	*app_rps_conf(struct app *, struct diag *d);

/* Counts one operation in the shared metrics. */
void	app_rps_count(struct metrics *, enum rps_provider,
	    const struct rps_result *);

#endif
