/* zorgd's schema for SQLite as numbered migrations. Never edit a released migration: add
 * one. The PostgreSQL driver has its own list with the same numbers (identity columns,
 * folding and time functions differ); keep the two in step. */
#include "sqlite_schema.h"

/* Migration 8: table t's inserts, updates and deletes move the authorisation epoch on. */
#define EPOCH_TRIGGER(t, op)                                                                 \
	"CREATE TRIGGER " t "_" op "_epoch AFTER " op " ON " t                                  \
	" BEGIN UPDATE auth_epoch SET value = value + 1 WHERE id = 1; END;"
#define EPOCH_TRIGGERS(t) EPOCH_TRIGGER(t, "INSERT") EPOCH_TRIGGER(t, "UPDATE") EPOCH_TRIGGER(t, "DELETE")

const char *const sqlite_migrations[] = {
	/* 1: organisation, locations, teams, tasks and roles, staff, sessions, audit. */
	"CREATE TABLE revision (id INTEGER PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL);"
	"INSERT INTO revision (id, value) VALUES (1, 0);"
	"CREATE TABLE organisation (id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL,"
	"  rev BIGINT NOT NULL DEFAULT 0);"
	"CREATE TABLE locations (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES locations(id),"
	"  name TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('organisation','region','team')),"
	"  rev BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX locations_rev ON locations(rev);"
	"CREATE TABLE location_closure (ancestor INTEGER NOT NULL REFERENCES locations(id),"
	"  descendant INTEGER NOT NULL REFERENCES locations(id), depth INTEGER NOT NULL,"
	"  PRIMARY KEY (ancestor, descendant));"
	"CREATE INDEX location_closure_descendant ON location_closure(descendant, ancestor);"
	"CREATE TABLE teams (id INTEGER PRIMARY KEY, location_id INTEGER NOT NULL REFERENCES locations(id),"
	"  name TEXT NOT NULL, email TEXT, phone TEXT, rev BIGINT NOT NULL,"
	"  deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX teams_rev ON teams(rev);"
	"CREATE TABLE tasks (code TEXT PRIMARY KEY, label_nl TEXT NOT NULL, label_en TEXT NOT NULL);"
	"CREATE TABLE roles (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name_nl TEXT NOT NULL,"
	"  name_en TEXT NOT NULL);"
	"CREATE TABLE role_tasks (role_id INTEGER NOT NULL REFERENCES roles(id),"
	"  task_code TEXT NOT NULL REFERENCES tasks(code), PRIMARY KEY (role_id, task_code));"
	"CREATE TABLE staff (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
	"  registration_number TEXT NOT NULL UNIQUE, email TEXT, phone TEXT,"
	"  team_id INTEGER REFERENCES teams(id), password_hash TEXT,"
	"  is_demo INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1,"
	"  rev BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX staff_rev ON staff(rev);"
	"CREATE TABLE staff_roles (staff_id INTEGER NOT NULL REFERENCES staff(id),"
	"  role_id INTEGER NOT NULL REFERENCES roles(id), PRIMARY KEY (staff_id, role_id));"
	"CREATE TABLE staff_scope (staff_id INTEGER NOT NULL REFERENCES staff(id),"
	"  location_id INTEGER NOT NULL REFERENCES locations(id), PRIMARY KEY (staff_id, location_id));"
	"CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, staff_id INTEGER NOT NULL REFERENCES staff(id),"
	"  created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,"
	"  remote_addr TEXT);"
	"CREATE INDEX sessions_staff ON sessions(staff_id);"
	"CREATE TABLE login_failures (key TEXT PRIMARY KEY, failures INTEGER NOT NULL,"
	"  first_at BIGINT NOT NULL, locked_until BIGINT NOT NULL DEFAULT 0);"
	"CREATE TABLE audit (id INTEGER PRIMARY KEY, at BIGINT NOT NULL, actor_type TEXT NOT NULL,"
	"  actor_id TEXT, action TEXT NOT NULL, object_type TEXT, object_id TEXT, remote_addr TEXT,"
	"  outcome TEXT NOT NULL, detail TEXT);"
	"CREATE INDEX audit_object ON audit(object_type, object_id);"
	"CREATE INDEX audit_at ON audit(at);"
	/* Tasks are data; their Dutch labels follow the seeds. */
	"INSERT INTO tasks (code, label_nl, label_en) VALUES"
	" ('client.view', 'Cliënten inzien', 'View clients'),"
	" ('client.bsn.view', 'BSN van een cliënt inzien', 'View a client''s BSN'),"
	" ('staff.view', 'Medewerkers inzien', 'View staff'),"
	" ('staff.manage', 'Medewerkers beheren', 'Manage staff'),"
	" ('staff.invite', 'Medewerkers uitnodigen', 'Invite staff'),"
	" ('group.manage', 'Medewerkergroepen beheren', 'Manage staff groups'),"
	" ('role.casemanager.grant', 'Casemanagerrechten toekennen', 'Grant case-manager rights'),"
	" ('role.admin.grant', 'Rollen administrator en beheerder toekennen',"
	"  'Grant the administrator and beheerder roles'),"
	" ('location.manage', 'Locaties beheren', 'Manage locations'),"
	" ('audit.view', 'Auditlog inzien', 'View the audit log'),"
	" ('report.view', 'Rapportages inzien', 'View reports'),"
	" ('caren.link.view', 'Koppelingen en uitnodigingen inzien', 'View portal links and invitations'),"
	" ('caren.link.edit', 'Koppelingen en uitnodigingen bewerken', 'Edit portal links and invitations'),"
	" ('caren.invite.create', 'Uitnodigingen aanmaken', 'Create portal invitations'),"
	" ('caren.message.send', 'Locatieberichten versturen', 'Send location messages'),"
	" ('message.view', 'Verstuurde berichten inzien', 'View sent messages'),"
	" ('notification.view', 'Notificaties inzien', 'View notifications'),"
	" ('appointment.manage', 'Afspraken beheren', 'Manage appointments'),"
	" ('careplan.manage', 'Zorgplannen beheren', 'Manage care plans');"
	"INSERT INTO roles (id, code, name_nl, name_en) VALUES"
	" (1, 'administrator', 'Administrator', 'Administrator'),"
	" (2, 'beheerder', 'Beheerder', 'Manager'),"
	" (3, 'casemanager', 'Casemanager', 'Case manager'),"
	" (4, 'zorgverlener', 'Zorgverlener', 'Care provider'),"
	" (5, 'support', 'Support', 'Support');"
	"INSERT INTO role_tasks (role_id, task_code) SELECT 1, code FROM tasks;"
	"INSERT INTO role_tasks (role_id, task_code) VALUES"
	" (2, 'staff.view'), (2, 'staff.manage'), (2, 'staff.invite'), (2, 'group.manage'),"
	" (2, 'role.casemanager.grant'), (2, 'location.manage'),"
	" (3, 'client.view'), (3, 'client.bsn.view'), (3, 'staff.view'), (3, 'caren.link.view'),"
	" (3, 'caren.link.edit'), (3, 'caren.invite.create'), (3, 'appointment.manage'),"
	" (3, 'careplan.manage'),"
	" (4, 'client.view'),"
	" (5, 'client.view'), (5, 'caren.link.view'), (5, 'message.view'), (5, 'notification.view');",

	/* 2: clients with addresses and contact methods. */
	"CREATE TABLE clients (id INTEGER PRIMARY KEY, client_number TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL, search_name TEXT NOT NULL, birth_date TEXT, bsn TEXT UNIQUE,"
	"  location_id INTEGER NOT NULL REFERENCES locations(id), rev BIGINT NOT NULL,"
	"  deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX clients_rev ON clients(rev);"
	"CREATE INDEX clients_location ON clients(location_id);"
	"CREATE TABLE client_addresses (id INTEGER PRIMARY KEY,"
	"  client_id INTEGER NOT NULL REFERENCES clients(id), street TEXT NOT NULL,"
	"  house_number INTEGER NOT NULL, house_number_ext TEXT NOT NULL DEFAULT '',"
	"  postcode TEXT NOT NULL, city TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1);"
	"CREATE INDEX client_addresses_client ON client_addresses(client_id);"
	"CREATE TABLE client_contacts (id INTEGER PRIMARY KEY,"
	"  client_id INTEGER NOT NULL REFERENCES clients(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('email','mobile')), value TEXT NOT NULL,"
	"  confirmed INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX client_contacts_client ON client_contacts(client_id);",

	/* 3: search folding now covers Latin Extended-B and Extended Additional (e.g. the
	 * Vietnamese letters of "Nguyễn"): fold every stored name again. zt_fold is the C
	 * folding, registered on every connection (a PostgreSQL store needs its own). */
	"UPDATE clients SET search_name = zt_fold(name);",

	/* 4: home-care technology (issue 4, seed 000): the HCT tasks, suppliers (the connector
	 * is the CN prefix of their client certificate), the device-type catalogue with the
	 * organisation's settings, orders, registrations and idempotency keys for placing
	 * orders. Times are Unix seconds; dates are YYYY-MM-DD text. A registration names the
	 * order it completed; the order finds its registration through that column. */
	"INSERT INTO tasks (code, label_nl, label_en) VALUES"
	" ('hct.client.view', 'Thuiszorgtechnologie van een cliënt inzien',"
	"  'View a client''s home-care technology'),"
	" ('hct.client.edit', 'Thuiszorgtechnologie van een cliënt bewerken',"
	"  'Edit a client''s home-care technology'),"
	" ('hct.order.manage', 'Bestelling van thuiszorgtechnologie van een cliënt beheren',"
	"  'Manage a client''s home-care technology orders'),"
	" ('hct.order.view', 'Bestelling van thuiszorgtechnologie van een cliënt inzien',"
	"  'View a client''s home-care technology orders'),"
	" ('hct.order.delete', 'Bestelling van thuiszorgtechnologie van een cliënt verwijderen',"
	"  'Delete a client''s home-care technology orders'),"
	" ('hct.settings.view', 'Thuiszorgtechnologie inzien (beheer)',"
	"  'View the home-care technology settings'),"
	" ('hct.settings.edit', 'Thuiszorgtechnologie bewerken (beheer)',"
	"  'Edit the home-care technology settings');"
	"INSERT INTO role_tasks (role_id, task_code) VALUES"
	" (1, 'hct.client.view'), (1, 'hct.client.edit'), (1, 'hct.order.manage'),"
	" (1, 'hct.order.view'), (1, 'hct.order.delete'), (1, 'hct.settings.view'),"
	" (1, 'hct.settings.edit'),"
	" (2, 'hct.settings.view'), (2, 'hct.settings.edit'),"
	" (3, 'hct.client.view'), (3, 'hct.client.edit'), (3, 'hct.order.manage'),"
	" (3, 'hct.order.view'), (3, 'hct.order.delete'),"
	" (4, 'hct.client.view'), (4, 'hct.order.view'),"
	" (5, 'hct.client.view'), (5, 'hct.order.view');"
	"CREATE TABLE suppliers (id INTEGER PRIMARY KEY, connector TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL, access_granted INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE device_types (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	"  product_code TEXT NOT NULL UNIQUE, supplier_id INTEGER REFERENCES suppliers(id),"
	"  in_use INTEGER NOT NULL DEFAULT 0, ordering INTEGER NOT NULL DEFAULT 0,"
	"  rev BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,"
	"  CHECK (ordering = 0 OR (in_use = 1 AND supplier_id IS NOT NULL)));"
	"CREATE INDEX device_types_rev ON device_types(rev);"
	"CREATE TABLE hct_orders (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
	"  client_id INTEGER NOT NULL REFERENCES clients(id),"
	"  device_type_id INTEGER NOT NULL REFERENCES device_types(id),"
	"  supplier_id INTEGER NOT NULL REFERENCES suppliers(id),"
	"  status TEXT NOT NULL CHECK (status IN ('OPEN','DECLINED','ACCEPTED','COMPLETED')),"
	"  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, fetched_at BIGINT,"
	"  accepted_at BIGINT, declined_at BIGINT, completed_at BIGINT,"
	"  delivery_type TEXT NOT NULL CHECK (delivery_type IN ('CLIENT_HOME','MANUAL')),"
	"  address_id INTEGER REFERENCES client_addresses(id), street TEXT NOT NULL,"
	"  house_number INTEGER NOT NULL, house_number_ext TEXT NOT NULL DEFAULT '',"
	"  postcode TEXT NOT NULL, city TEXT NOT NULL,"
	"  orderer_staff_id INTEGER NOT NULL REFERENCES staff(id), orderer_name TEXT NOT NULL,"
	"  team_id INTEGER NOT NULL REFERENCES teams(id), team_name TEXT NOT NULL,"
	"  orderer_email TEXT NOT NULL, orderer_phone TEXT NOT NULL,"
	"  order_number TEXT, supplier_note TEXT, tracking_url TEXT,"
	"  device_identification_number TEXT,"
	"  rev BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX hct_orders_rev ON hct_orders(rev);"
	"CREATE INDEX hct_orders_client ON hct_orders(client_id);"
	"CREATE INDEX hct_orders_supplier ON hct_orders(supplier_id, id);"
	"CREATE TABLE hct_registrations (id INTEGER PRIMARY KEY,"
	"  client_id INTEGER NOT NULL REFERENCES clients(id),"
	"  device_type_id INTEGER NOT NULL REFERENCES device_types(id), serial TEXT NOT NULL,"
	"  start_date TEXT NOT NULL, end_date TEXT,"
	"  order_id INTEGER UNIQUE REFERENCES hct_orders(id),"
	"  rev BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0,"
	"  CHECK (end_date IS NULL OR end_date >= start_date));"
	"CREATE INDEX hct_registrations_rev ON hct_registrations(rev);"
	"CREATE INDEX hct_registrations_client ON hct_registrations(client_id);"
	"CREATE TABLE idempotency_keys (staff_id INTEGER NOT NULL REFERENCES staff(id),"
	"  key TEXT NOT NULL, request_hash TEXT NOT NULL, status INTEGER NOT NULL,"
	"  location TEXT, response TEXT NOT NULL, created_at BIGINT NOT NULL,"
	"  PRIMARY KEY (staff_id, key));"
	"CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);",

	/* 5: the home-care technology catalogue is reference data, present in every database:
	 * known suppliers (no access until the organisation grants it) and device types (not
	 * in use, ordering off). Rows that exist already are left alone. */
	"INSERT INTO suppliers (id, connector, name, access_granted) SELECT 1, 'dosell', 'Dosell', 0"
	" WHERE NOT EXISTS (SELECT 1 FROM suppliers WHERE id = 1 OR connector = 'dosell');"
	"INSERT INTO suppliers (id, connector, name, access_granted) SELECT 2, 'nedap_luna', 'Nedap Luna', 0"
	" WHERE NOT EXISTS (SELECT 1 FROM suppliers WHERE id = 2 OR connector = 'nedap_luna');"
	"INSERT INTO suppliers (id, connector, name, access_granted) SELECT 3, 'medido', 'Medido (Innospense)', 0"
	" WHERE NOT EXISTS (SELECT 1 FROM suppliers WHERE id = 3 OR connector = 'medido');"
	"INSERT INTO suppliers (id, connector, name, access_granted) SELECT 4, 'compaan', 'Compaan', 0"
	" WHERE NOT EXISTS (SELECT 1 FROM suppliers WHERE id = 4 OR connector = 'compaan');"
	"INSERT INTO device_types (id, name, product_code, supplier_id, in_use, ordering, rev)"
	" SELECT 1, 'Dosell', 'DOSELL-01', 1, 0, 0, (SELECT value FROM revision WHERE id = 1) + 1"
	" WHERE NOT EXISTS (SELECT 1 FROM device_types WHERE id = 1 OR product_code = 'DOSELL-01');"
	"INSERT INTO device_types (id, name, product_code, supplier_id, in_use, ordering, rev)"
	" SELECT 2, 'Nedap Luna', 'LUNA-01', 2, 0, 0, (SELECT value FROM revision WHERE id = 1) + 2"
	" WHERE NOT EXISTS (SELECT 1 FROM device_types WHERE id = 2 OR product_code = 'LUNA-01');"
	"INSERT INTO device_types (id, name, product_code, supplier_id, in_use, ordering, rev)"
	" SELECT 3, 'Medido', 'MEDIDO-01', 3, 0, 0, (SELECT value FROM revision WHERE id = 1) + 3"
	" WHERE NOT EXISTS (SELECT 1 FROM device_types WHERE id = 3 OR product_code = 'MEDIDO-01');"
	"INSERT INTO device_types (id, name, product_code, supplier_id, in_use, ordering, rev)"
	" SELECT 4, 'Compaan', 'COMPAAN-01', 4, 0, 0, (SELECT value FROM revision WHERE id = 1) + 4"
	" WHERE NOT EXISTS (SELECT 1 FROM device_types WHERE id = 4 OR product_code = 'COMPAAN-01');"
	"INSERT INTO device_types (id, name, product_code, supplier_id, in_use, ordering, rev)"
	" SELECT 5, 'Tessa', 'TESSA-01', NULL, 0, 0, (SELECT value FROM revision WHERE id = 1) + 5"
	" WHERE NOT EXISTS (SELECT 1 FROM device_types WHERE id = 5 OR product_code = 'TESSA-01');"
	"INSERT INTO device_types (id, name, product_code, supplier_id, in_use, ordering, rev)"
	" SELECT 6, 'Sensara', 'SENSARA-01', NULL, 0, 0, (SELECT value FROM revision WHERE id = 1) + 6"
	" WHERE NOT EXISTS (SELECT 1 FROM device_types WHERE id = 6 OR product_code = 'SENSARA-01');"
	"INSERT INTO device_types (id, name, product_code, supplier_id, in_use, ordering, rev)"
	" SELECT 7, 'Spencer', 'SPENCER-01', NULL, 0, 0, (SELECT value FROM revision WHERE id = 1) + 7"
	" WHERE NOT EXISTS (SELECT 1 FROM device_types WHERE id = 7 OR product_code = 'SPENCER-01');"
	"UPDATE revision SET value = value + 7 WHERE id = 1;",
	/* 6: the Caren portal link (issue 9, seed 002): organisation settings (one row; later
	 * issues add columns), the portal's heartbeat, invitations and links (history is
	 * never deleted: rows only change state), and caren_state, one row per client that
	 * ever had an invitation, with the facts the status is derived from (the feed type
	 * "caren"). Task labels follow the seed; zorgverlener may look, support only looks,
	 * the casemanager (coordinator) also invites and unlinks; settings are the
	 * administrator's. */
	"CREATE TABLE settings (id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  caren_enabled INTEGER NOT NULL DEFAULT 0, caren_communication INTEGER NOT NULL DEFAULT 0,"
	"  caren_invitation_days INTEGER NOT NULL DEFAULT 42"
	"  CHECK (caren_invitation_days BETWEEN 1 AND 365), rev BIGINT NOT NULL DEFAULT 0);"
	"INSERT INTO settings (id) VALUES (1);"
	"CREATE TABLE caren_portal (id INTEGER PRIMARY KEY CHECK (id = 1), last_heartbeat BIGINT,"
	"  reachable INTEGER NOT NULL DEFAULT 0, rev BIGINT NOT NULL DEFAULT 0);"
	"INSERT INTO caren_portal (id) VALUES (1);"
	"CREATE TABLE caren_invitations (id INTEGER PRIMARY KEY,"
	"  client_id INTEGER NOT NULL REFERENCES clients(id),"
	"  created_by INTEGER REFERENCES staff(id), created_by_name TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL, valid_until TEXT NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('OPEN','REDEEMED','REVOKED','EXPIRED')),"
	"  code_hash TEXT NOT NULL UNIQUE, code_sealed TEXT, closed_at BIGINT, closed_by TEXT,"
	"  rev BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE UNIQUE INDEX caren_invitations_open ON caren_invitations(client_id)"
	"  WHERE state = 'OPEN';"
	"CREATE INDEX caren_invitations_client ON caren_invitations(client_id, id);"
	"CREATE INDEX caren_invitations_rev ON caren_invitations(rev);"
	"CREATE TABLE caren_links (id INTEGER PRIMARY KEY,"
	"  client_id INTEGER NOT NULL REFERENCES clients(id), object_id TEXT NOT NULL UNIQUE,"
	"  portal_account TEXT NOT NULL,"
	"  invitation_id INTEGER REFERENCES caren_invitations(id), started_at BIGINT NOT NULL,"
	"  ended_at BIGINT, ended_by_staff INTEGER REFERENCES staff(id), ended_by_name TEXT,"
	"  ended_by_portal INTEGER NOT NULL DEFAULT 0, end_reason TEXT,"
	"  rev BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE UNIQUE INDEX caren_links_active ON caren_links(client_id) WHERE ended_at IS NULL;"
	"CREATE INDEX caren_links_client ON caren_links(client_id, id);"
	"CREATE INDEX caren_links_rev ON caren_links(rev);"
	"CREATE TABLE caren_state (client_id INTEGER PRIMARY KEY REFERENCES clients(id),"
	"  link_active INTEGER NOT NULL DEFAULT 0, valid_until TEXT,"
	"  rev BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX caren_state_rev ON caren_state(rev);"
	"UPDATE tasks SET label_nl = 'Caren-koppelingen en -uitnodigingen [van een cliënt] bekijken'"
	"  , label_en = 'View a client''s Caren links and invitations' WHERE code = 'caren.link.view';"
	"UPDATE tasks SET label_nl = 'Caren-koppelingen en -uitnodigingen [van een cliënt] bewerken'"
	"  , label_en = 'Edit a client''s Caren links and invitations' WHERE code = 'caren.link.edit';"
	"UPDATE tasks SET label_nl = 'Carenuitnodigingen [voor een cliënt] aanmaken'"
	"  , label_en = 'Create Caren invitations for a client' WHERE code = 'caren.invite.create';"
	"INSERT INTO tasks (code, label_nl, label_en) VALUES"
	" ('settings.manage', 'Organisatie-instellingen beheren', 'Manage the organisation''s settings');"
	"INSERT INTO role_tasks (role_id, task_code) VALUES (1, 'settings.manage'),"
	" (4, 'caren.link.view');",

	/* 7: location messages (issue 10, seed 002) and the outbox, the one way zorgd sends
	 * anything. A message's recipients are resolved when it is sent (clients of the
	 * location's subtree; their linked portal users are added where the link table is
	 * known); delivered/failed are kept on the message so lists need no counting. The
	 * outbox holds one row per thing to send, written in the transaction of the business
	 * change; workers claim rows with a lease (lease_owner, lease_until). */
	"UPDATE tasks SET label_nl = 'Bulkberichten sturen naar zorgnetwerken in Caren',"
	" label_en = 'Send bulk messages to care networks in Caren' WHERE code = 'caren.message.send';"
	"INSERT INTO role_tasks (role_id, task_code) VALUES (3, 'caren.message.send'),"
	" (3, 'message.view') ON CONFLICT (role_id, task_code) DO NOTHING;"
	"CREATE TABLE location_messages (id INTEGER PRIMARY KEY,"
	"  location_id INTEGER REFERENCES locations(id), sender_staff_id INTEGER NOT NULL"
	"  REFERENCES staff(id), sender_name TEXT NOT NULL, created_at BIGINT NOT NULL,"
	"  text TEXT NOT NULL, recipients INTEGER NOT NULL, clients INTEGER NOT NULL,"
	"  portal_users INTEGER NOT NULL, mails INTEGER NOT NULL DEFAULT 0,"
	"  delivered INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,"
	"  created_rev BIGINT NOT NULL, rev BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX location_messages_created_rev ON location_messages(created_rev);"
	"CREATE INDEX location_messages_rev ON location_messages(rev);"
	"CREATE TABLE message_recipients (id INTEGER PRIMARY KEY,"
	"  message_id INTEGER NOT NULL REFERENCES location_messages(id),"
	"  client_id INTEGER NOT NULL REFERENCES clients(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('client','portal_user')), portal_account TEXT,"
	"  email TEXT, mail_state TEXT NOT NULL CHECK (mail_state IN ('NONE','PENDING','SENT','FAILED')),"
	"  portal_delivered_at BIGINT, rev BIGINT NOT NULL);"
	"CREATE INDEX message_recipients_message ON message_recipients(message_id, id);"
	"CREATE TABLE outbox (id INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
	"  ref_id BIGINT NOT NULL, recipient_id BIGINT NOT NULL DEFAULT 0, mail_to TEXT,"
	"  subject TEXT, body TEXT,"
	"  state TEXT NOT NULL CHECK (state IN ('PENDING','SENT','FAILED')),"
	"  tries INTEGER NOT NULL DEFAULT 0, next_at BIGINT NOT NULL,"
	"  lease_owner TEXT, lease_until BIGINT NOT NULL DEFAULT 0, last_error TEXT,"
	"  created_at BIGINT NOT NULL, sent_at BIGINT, UNIQUE (kind, ref_id, recipient_id));"
	"CREATE INDEX outbox_due ON outbox(state, next_at);",

	/* 8: the authorisation epoch (issue 11): one counter that every change of roles,
	 * role grants, scope or the location tree moves on, by triggers, whoever writes (zorgd,
	 * another instance, SQL by hand). zorgd reads it with every session and keeps the tasks
	 * of a staff member cached for as long as it has not moved (auth_tasks.c). */
	"CREATE TABLE auth_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL);"
	"INSERT INTO auth_epoch (id, value) VALUES (1, 0);"
	EPOCH_TRIGGERS("role_tasks") EPOCH_TRIGGERS("staff_roles") EPOCH_TRIGGERS("staff_scope")
	EPOCH_TRIGGERS("location_closure"),

	/* 9: the client page of the change feed reads everything from one index (issue 11):
	 * in revision order with the columns of a change item and of the scope check, so a page
	 * walks the index and never looks a row up in the table (4.80 M -> 4.36 M instructions
	 * for a 1,000-client page). It replaces clients_rev, its first column. */
	"CREATE INDEX clients_feed ON clients(rev, location_id, deleted, client_number, name,"
	" birth_date);"
	"DROP INDEX clients_rev;",
};

const size_t sqlite_migration_count = sizeof sqlite_migrations / sizeof sqlite_migrations[0];
