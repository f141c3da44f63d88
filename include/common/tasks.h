/* Task codes (permissions), declared once for zorgd and zorgterm. A role is a set of tasks
 * (data in zorgd's store); code names a task with TASK_X so that a typo is a compile error.
 * The wire/store code is the string; the labels are the seeds' Dutch words and English.
 * Adding a task: add a row here and insert it (with its role grants) in a migration. */
#ifndef ZT_COMMON_TASKS_H
#define ZT_COMMON_TASKS_H

#include <stddef.h>

/* X(ID, code, Dutch label, English label) */
#define ZT_TASKS(X)                                                                           \
	X(CLIENT_VIEW, "client.view", "Cliënten inzien", "View clients")                          \
	X(CLIENT_BSN_VIEW, "client.bsn.view", "BSN van een cliënt inzien", "View a client's BSN") \
	X(STAFF_VIEW, "staff.view", "Medewerkers inzien", "View staff")                           \
	X(STAFF_MANAGE, "staff.manage", "Medewerkers beheren", "Manage staff")                    \
	X(STAFF_INVITE, "staff.invite", "Medewerkers uitnodigen", "Invite staff")                 \
	X(GROUP_MANAGE, "group.manage", "Medewerkergroepen beheren", "Manage staff groups")       \
	X(ROLE_CASEMANAGER_GRANT, "role.casemanager.grant", "Casemanagerrechten toekennen",       \
	  "Grant case-manager rights")                                                            \
	X(ROLE_ADMIN_GRANT, "role.admin.grant", "Rollen administrator en beheerder toekennen",    \
	  "Grant the administrator and beheerder roles")                                          \
	X(LOCATION_MANAGE, "location.manage", "Locaties beheren", "Manage locations")             \
	X(AUDIT_VIEW, "audit.view", "Auditlog inzien", "View the audit log")                      \
	X(REPORT_VIEW, "report.view", "Rapportages inzien", "View reports")                       \
	X(CAREN_LINK_VIEW, "caren.link.view",                                                     \
	  "Caren-koppelingen en -uitnodigingen [van een cliënt] bekijken",                         \
	  "View a client's Caren links and invitations")                                          \
	X(CAREN_LINK_EDIT, "caren.link.edit",                                                     \
	  "Caren-koppelingen en -uitnodigingen [van een cliënt] bewerken",                         \
	  "Edit a client's Caren links and invitations")                                          \
	X(CAREN_INVITE_CREATE, "caren.invite.create",                                             \
	  "Carenuitnodigingen [voor een cliënt] aanmaken", "Create Caren invitations for a client") \
	X(CAREN_MESSAGE_SEND, "caren.message.send",                                               \
	  "Bulkberichten sturen naar zorgnetwerken in Caren",                                     \
	  "Send bulk messages to care networks in Caren")                                         \
	X(MESSAGE_VIEW, "message.view", "Verstuurde berichten inzien", "View sent messages")      \
	X(NOTIFICATION_VIEW, "notification.view", "Notificaties inzien", "View notifications")    \
	X(APPOINTMENT_MANAGE, "appointment.manage", "Afspraken beheren", "Manage appointments")   \
	X(CAREPLAN_MANAGE, "careplan.manage", "Zorgplannen beheren", "Manage care plans")         \
	X(HCT_CLIENT_VIEW, "hct.client.view", "Thuiszorgtechnologie van een cliënt inzien",       \
	  "View a client's home-care technology")                                                 \
	X(HCT_CLIENT_EDIT, "hct.client.edit", "Thuiszorgtechnologie van een cliënt bewerken",     \
	  "Edit a client's home-care technology")                                                 \
	X(HCT_ORDER_MANAGE, "hct.order.manage",                                                   \
	  "Bestelling van thuiszorgtechnologie van een cliënt beheren",                           \
	  "Manage a client's home-care technology orders")                                        \
	X(HCT_ORDER_VIEW, "hct.order.view",                                                       \
	  "Bestelling van thuiszorgtechnologie van een cliënt inzien",                            \
	  "View a client's home-care technology orders")                                          \
	X(HCT_ORDER_DELETE, "hct.order.delete",                                                   \
	  "Bestelling van thuiszorgtechnologie van een cliënt verwijderen",                       \
	  "Delete a client's home-care technology orders")                                        \
	X(HCT_SETTINGS_VIEW, "hct.settings.view", "Thuiszorgtechnologie inzien (beheer)",         \
	  "View the home-care technology settings")                                               \
	X(HCT_SETTINGS_EDIT, "hct.settings.edit", "Thuiszorgtechnologie bewerken (beheer)",       \
	  "Edit the home-care technology settings")                                               \
	X(SETTINGS_MANAGE, "settings.manage", "Organisatie-instellingen beheren",                 \
	  "Manage the organisation's settings")

enum task_id {
#define ZT_TASK_ENUM(id, code, nl, en) TASK_##id,
	ZT_TASKS(ZT_TASK_ENUM)
#undef ZT_TASK_ENUM
	TASK__COUNT
};

/* The wire/store code of task t ("hct.client.view"); a static string. */
const char *task_code(enum task_id t);
/* The task whose code is code, or TASK__COUNT when there is none. */
enum task_id task_by_code(const char *code);
/* The Dutch (nl != 0) or English label of task t; a static string. */
const char *task_label(enum task_id t, int nl);

#endif
