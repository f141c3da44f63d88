/* Private to the client core: how app.c's siblings (caren.c) start writes and reads on
 * the generic request record, and how their answers come back. */
#ifndef ZT_CLIENT_APP_OPS_H
#define ZT_CLIENT_APP_OPS_H

#include "client/app.h"
#include "client/net.h"

/* Start method on path (staff token) with body (taken over; may be NULL) and one extra
 * header (may be NULL); the record is REQ_BUSY until the answer. */
struct app_request *app_start_op(struct app *a, enum app_op_kind kind, const char *method,
								 const char *path, char *body, const char *header);
/* A Caren request answered 2xx: keep what it brought (j: the parsed JSON, or NULL; body and
 * len: the raw answer, e.g. a PDF). May turn op into an error (a file not saved). */
void caren_op_ok(struct app *a, struct app_request *op, const cJSON *j, const char *body,
				 size_t len);

/* Forget the message read last (a->msg_detail). */
void message_detail_drop(struct app *a);
/* A location-message request answered 2xx (src/client/messages.c). */
void message_op_ok(struct app *a, struct app_request *op, const cJSON *j);

#endif
