/* View functions: the screens' read access to the replica. */
#include "client/views.h"

#include <stdlib.h>

bool view_hct(struct app *a, int64_t client_id, struct m_order **orders, size_t *norders,
			  struct m_registration **regs, size_t *nregs)
{
	*orders = NULL;
	*regs = NULL;
	*norders = *nregs = 0;
	return a->rep && replica_hct(a->rep, client_id, orders, norders, regs, nregs) == 0;
}

bool view_order(struct app *a, int64_t id, struct m_order *out)
{
	return a->rep && id && replica_order(a->rep, id, out);
}

bool view_registration(struct app *a, int64_t id, struct m_registration *out)
{
	return a->rep && id && replica_registration(a->rep, id, out);
}

bool view_device_types(struct app *a, struct m_device_type **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return a->rep && replica_device_types(a->rep, out, n) == 0;
}

bool view_teams(struct app *a, struct m_team **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return a->rep && replica_teams(a->rep, out, n) == 0;
}

void view_hct_free(struct m_order **orders, size_t *norders, struct m_registration **regs, size_t *nregs)
{
	for (size_t i = 0; i < *norders; i++)
		m_order_free(&(*orders)[i]);
	free(*orders);
	for (size_t i = 0; i < *nregs; i++)
		m_registration_free(&(*regs)[i]);
	free(*regs);
	*orders = NULL;
	*regs = NULL;
	*norders = *nregs = 0;
}

void view_device_types_free(struct m_device_type **d, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		m_device_type_free(&(*d)[i]);
	free(*d);
	*d = NULL;
	*n = 0;
}

void view_teams_free(struct m_team **t, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		m_team_free(&(*t)[i]);
	free(*t);
	*t = NULL;
	*n = 0;
}
