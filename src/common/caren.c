/* The Caren portal link status: derivation, names, Dutch and English words, symbols. */
#include "common/caren.h"

#include "common/civil.h"

#include <stdio.h>
#include <string.h>

static const char *const status_wire[CAREN_STATUS_COUNT] = {
	[CAREN_ACTIVE] = "ACTIVE",
	[CAREN_NOT_LINKED] = "NOT_LINKED",
	[CAREN_INVITED] = "INVITED",
	[CAREN_UNKNOWN] = "UNKNOWN",
};

static const char *const inv_wire[CAREN_INV_STATE_COUNT] = {
	[CAREN_INV_OPEN] = "OPEN",
	[CAREN_INV_REDEEMED] = "REDEEMED",
	[CAREN_INV_REVOKED] = "REVOKED",
	[CAREN_INV_EXPIRED] = "EXPIRED",
};

static const char *const inv_nl[CAREN_INV_STATE_COUNT] = {
	[CAREN_INV_OPEN] = "Openstaand",
	[CAREN_INV_REDEEMED] = "Gebruikt",
	[CAREN_INV_REVOKED] = "Ingetrokken",
	[CAREN_INV_EXPIRED] = "Verlopen",
};

int caren_days_left(const char *valid_until, int64_t now)
{
	int64_t last;
	if (!valid_until || !civil_parse_date(valid_until, &last))
		return -1;
	int64_t left = last - civil_ams_today(now) + 1;
	return left < 0 ? 0 : (int)left; /* four-digit years: never near INT_MAX */
}

bool caren_invitation_expired(const char *valid_until, int64_t now)
{
	return caren_days_left(valid_until, now) <= 0;
}

bool caren_valid_until(int64_t now, int validity_days, char out[16])
{
	if (validity_days < CAREN_VALIDITY_DAYS_MIN || validity_days > CAREN_VALIDITY_DAYS_MAX)
		return false;
	civil_format_date(civil_ams_today(now) + validity_days - 1, out);
	return true;
}

/* True when the portal counts as reachable under facts. */
static bool heartbeat_fresh(const struct caren_facts *f)
{
	if (f->heartbeat_timeout <= 0)
		return true;
	return f->heartbeat_age >= 0 && f->heartbeat_age <= f->heartbeat_timeout;
}

struct caren_link_status caren_status_derive(const struct caren_facts *facts)
{
	struct caren_link_status r = {CAREN_UNKNOWN, -1};
	if (!facts->enabled || !heartbeat_fresh(facts))
		return r;
	if (facts->link_active) {
		r.status = CAREN_ACTIVE;
		return r;
	}
	if (!facts->valid_until) {
		r.status = CAREN_NOT_LINKED;
		return r;
	}
	int left = caren_days_left(facts->valid_until, facts->now);
	if (left < 0)
		return r; /* not a date: we cannot say */
	if (left == 0) {
		r.status = CAREN_NOT_LINKED;
		return r;
	}
	r.status = CAREN_INVITED;
	r.days_left = left;
	return r;
}

const char *caren_status_wire(enum caren_status s)
{
	return (unsigned)s < CAREN_STATUS_COUNT ? status_wire[s] : "UNKNOWN";
}

bool caren_status_parse(const char *name, enum caren_status *s)
{
	for (int i = 0; name && i < CAREN_STATUS_COUNT; i++)
		if (strcmp(name, status_wire[i]) == 0) {
			*s = (enum caren_status)i;
			return true;
		}
	return false;
}

const char *caren_status_nl(enum caren_status s, int days_left, char *out, size_t size)
{
	switch (s) {
	case CAREN_ACTIVE:
		snprintf(out, size, "Actieve koppeling");
		break;
	case CAREN_NOT_LINKED:
		snprintf(out, size, "Niet gekoppeld");
		break;
	case CAREN_INVITED:
		if (days_left == 1)
			snprintf(out, size, "Uitnodiging is nog 1 dag geldig");
		else
			snprintf(out, size, "Uitnodiging is nog %d dagen geldig", days_left);
		break;
	default:
		snprintf(out, size, "Onbekend");
		break;
	}
	return out;
}

const char *caren_status_en(enum caren_status s, int days_left, char *out, size_t size)
{
	switch (s) {
	case CAREN_ACTIVE:
		snprintf(out, size, "Active link");
		break;
	case CAREN_NOT_LINKED:
		snprintf(out, size, "Not linked");
		break;
	case CAREN_INVITED:
		if (days_left == 1)
			snprintf(out, size, "Invitation valid for 1 more day");
		else
			snprintf(out, size, "Invitation valid for %d more days", days_left);
		break;
	default:
		snprintf(out, size, "Unknown");
		break;
	}
	return out;
}

const char *caren_status_symbol(enum caren_status s, bool ascii)
{
	switch (s) {
	case CAREN_ACTIVE:
		return ascii ? "+" : "\xe2\x9c\x93"; /* CHECK MARK */
	case CAREN_NOT_LINKED:
		return ascii ? "x" : "\xe2\x9c\x97"; /* BALLOT X */
	case CAREN_INVITED:
		return ascii ? "~" : "\xe2\x97\x94"; /* CIRCLE WITH UPPER RIGHT QUADRANT BLACK */
	default:
		return "?";
	}
}

const char *caren_status_cell(enum caren_status s, int days_left, bool ascii, char *out,
							  size_t size)
{
	char words[64];
	snprintf(out, size, "%s %s", caren_status_symbol(s, ascii),
			 caren_status_nl(s, days_left, words, sizeof words));
	return out;
}

const char *caren_inv_state_wire(enum caren_invitation_state s)
{
	return (unsigned)s < CAREN_INV_STATE_COUNT ? inv_wire[s] : "EXPIRED";
}

bool caren_inv_state_parse(const char *name, enum caren_invitation_state *s)
{
	for (int i = 0; name && i < CAREN_INV_STATE_COUNT; i++)
		if (strcmp(name, inv_wire[i]) == 0) {
			*s = (enum caren_invitation_state)i;
			return true;
		}
	return false;
}

const char *caren_inv_state_nl(enum caren_invitation_state s)
{
	return (unsigned)s < CAREN_INV_STATE_COUNT ? inv_nl[s] : "Verlopen";
}
