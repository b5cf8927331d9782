/* report.fcgi's request handling: phones upload the configuration they
 * run (Cisco MPP Report_Rule) with POST or PUT to
 *
 *   /report[/<mac>][?type=config|delta|status]
 *
 * In order: the method, the path and query (a whitelist: only `type`, at
 * most once), a configuration snapshot, the phone's MAC (from the URL, else
 * from the User-Agent; normalised with mac_parse), the phone (configured,
 * or any valid phone MAC in discovery mode), the client's address (the
 * profile rules of access.h; any address in discovery mode), the body (its
 * Content-Length checked against reports.max_body_bytes before a byte is
 * read), the parse (report.h), the store (store.h: secrets hashed, atomic,
 * retention).  Every answer is JSON:
 *   200 {"status":"success","mac":"001122334455","report":"<id>"}
 *   4xx/5xx {"status":"error","message":"..."}
 *
 * On arrival of a stored report the shared metrics are updated:
 * phone_reports_received_total{phone_mac,report_type} (phone_mac is
 * "unknown" for a phone the configuration does not name), the phone's last
 * report time, and -- for configuration and delta reports of a configured
 * phone -- its comparison against the current snapshot, kept as the
 * per-phone gauges deskprov_phone_differences and
 * deskprov_phone_unexpected_params that app_metrics_update_windows() sums at
 * scrape time.  A failed request counts only in the request and rejection
 * totals (instrument.h). */
#ifndef DESKPROV_APP_REPORT_H
#define DESKPROV_APP_REPORT_H

#include "app.h"
#include "http.h"

/* Answers one request into rs and adds the request's details -- never a
 * parameter value -- to the log line (which the caller starts and ends). */
void	app_report_handle(struct app *, const struct request *,
	    struct response *, struct logline *);

/* Brings phone `mac`'s drift gauges up to date: expected (what
 * profile.fcgi would serve it under snapshot s) against its current
 * stored state.  Does nothing for a phone without configuration reports.
 * Exposed for the tests and for tools that rebuild the gauges. */
void	app_report_update_drift(struct app *, const struct snapshot *s,
	    const struct phone *ph);

#endif
