/* Table-driven options: command line (getopt_long), libconfig files, help and example. */
#include "common/options.h"

#include "common/alloc.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <libconfig.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The config-file key of option o ("-" becomes "_"). */
static void config_key(const struct opt *o, char out[64])
{
	snprintf(out, 64, "%s", o->name);
	for (char *c = out; *c; c++)
		if (*c == '-')
			*c = '_';
}

bool opts_set(const struct opt_set *s, const struct opt *o, const char *v, const char *where,
			  char *err, size_t errlen)
{
	char *field = (char *)s->base + o->off;
	if (o->type == OPT_STR) {
		char **dst = (char **)(void *)field;
		free(*dst);
		*dst = xstrdup(v);
		return true;
	}
	if (o->type == OPT_FLAG) {
		*(bool *)(void *)field = true;
		return true;
	}
	char *end = NULL;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (!*v || *end || errno || n < o->min || n > o->max) {
		snprintf(err, errlen, "%s: %s: '%s' is not a whole number from %lld to %lld", where,
				 o->name, v, (long long)o->min, (long long)o->max);
		return false;
	}
	*(int64_t *)(void *)field = n;
	return true;
}

/* Apply the string members of a group setting through the set's group callback. */
static bool load_group(const struct opt_set *s, config_setting_t *g, const char *path, char *err,
					   size_t errlen)
{
	const char *gname = config_setting_name(g);
	for (int i = 0; i < config_setting_length(g); i++) {
		config_setting_t *m = config_setting_get_elem(g, (unsigned int)i);
		char where[512];
		snprintf(where, sizeof where, "%s:%d", path, config_setting_source_line(m));
		if (config_setting_type(m) != CONFIG_TYPE_STRING) {
			snprintf(err, errlen, "%s: %s.%s must be a string in double quotes", where, gname,
					 config_setting_name(m));
			return false;
		}
		char why[256] = "";
		if (!s->on_group(s->base, gname, config_setting_name(m), config_setting_get_string(m), why,
						 sizeof why)) {
			snprintf(err, errlen, "%s: %s", where, why);
			return false;
		}
	}
	return true;
}

/* libconfig 1.5 cuts integers without an L suffix to 32 bits without a word. Find such a
 * number (outside strings and comments) before it does; false with err set. */
static bool check_big_numbers(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return true; /* libconfig reports the I/O error */
	char line[1024];
	int lineno = 0;
	bool ok = true;
	while (ok && fgets(line, sizeof line, f)) {
		lineno++;
		bool in_str = false;
		for (const char *p = line; *p; p++) {
			if (*p == '"' && (p == line || p[-1] != '\\'))
				in_str = !in_str;
			if (in_str)
				continue;
			if (*p == '#' || (*p == '/' && (p[1] == '/' || p[1] == '*')))
				break;
			if (*p >= '0' && *p <= '9' && (p == line || !isalnum((unsigned char)p[-1]))) {
				const char *q = p;
				while (*q >= '0' && *q <= '9')
					q++;
				if (q - p >= 10 && *q != 'L' && *q != '.' && strtoll(p, NULL, 10) > 2147483647LL) {
					/* Name the setting: the word the line starts with. */
					const char *n = line;
					while (*n == ' ' || *n == '\t')
						n++;
					int nl = 0;
					while (isalnum((unsigned char)n[nl]) || n[nl] == '_' || n[nl] == '-')
						nl++;
					snprintf(err, errlen, "%s:%d: %.*s: the number %.*s is too large", path, lineno,
							 nl, n, (int)(q - p), p);
					ok = false;
					break;
				}
				p = q - 1;
			}
		}
	}
	fclose(f);
	return ok;
}

bool opts_load_file(const struct opt_set *s, const char *path, char *err, size_t errlen)
{
	if (!check_big_numbers(path, err, errlen))
		return false;
	config_t c;
	config_init(&c);
	if (config_read_file(&c, path) != CONFIG_TRUE) {
		if (config_error_type(&c) == CONFIG_ERR_FILE_IO)
			snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		else
			snprintf(err, errlen, "%s:%d: %s", path, config_error_line(&c), config_error_text(&c));
		config_destroy(&c);
		return false;
	}
	config_setting_t *root = config_root_setting(&c);
	bool ok = true;
	for (int i = 0; ok && i < config_setting_length(root); i++) {
		config_setting_t *st = config_setting_get_elem(root, (unsigned int)i);
		const char *name = config_setting_name(st);
		char where[512];
		snprintf(where, sizeof where, "%s:%d", path, config_setting_source_line(st));
		if (config_setting_type(st) == CONFIG_TYPE_GROUP && s->on_group) {
			ok = load_group(s, st, path, err, errlen);
			continue;
		}
		const struct opt *o = NULL;
		for (size_t k = 0; k < s->n && !o; k++) {
			char key[64];
			config_key(&s->opts[k], key);
			if (s->opts[k].config && strcmp(key, name) == 0)
				o = &s->opts[k];
		}
		if (!o) {
			snprintf(err, errlen, "%s: unknown setting '%s'", where, name);
			ok = false;
		} else if (o->type == OPT_STR && config_setting_type(st) == CONFIG_TYPE_STRING) {
			ok = opts_set(s, o, config_setting_get_string(st), where, err, errlen);
		} else if (o->type == OPT_INT && (config_setting_type(st) == CONFIG_TYPE_INT ||
										  config_setting_type(st) == CONFIG_TYPE_INT64)) {
			char num[32];
			snprintf(num, sizeof num, "%lld", (long long)config_setting_get_int64(st));
			ok = opts_set(s, o, num, where, err, errlen);
		} else if (o->type == OPT_FLAG && config_setting_type(st) == CONFIG_TYPE_BOOL) {
			*(bool *)(void *)((char *)s->base + o->off) = config_setting_get_bool(st);
		} else {
			snprintf(err, errlen, "%s: '%s' must be %s", where, name,
					 o->type == OPT_STR	  ? "a string in double quotes"
					 : o->type == OPT_INT ? "a whole number"
										  : "true or false");
			ok = false;
		}
	}
	config_destroy(&c);
	return ok;
}

void opts_usage(const struct opt_set *s, FILE *f)
{
	fputs(s->usage, f);
	fputs("\nOptions:\n", f);
	for (size_t i = 0; i < s->n; i++) {
		const struct opt *o = &s->opts[i];
		char left[48];
		snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-26s %s", left, o->help);
		if (o->def)
			fprintf(f, " [%s]", o->def);
		fputc('\n', f);
	}
	fprintf(f, "  %-26s %s\n  %-26s %s\n", "--help", "show this help", "--version",
			"show the version");
}

void opts_print_config(const struct opt_set *s, FILE *f)
{
	fprintf(f, "# %s.conf - example configuration (generated by '%s --print-config').\n"
			   "# libconfig syntax; command-line options override these settings.\n",
			s->prog, s->prog);
	for (size_t i = 0; i < s->n; i++) {
		const struct opt *o = &s->opts[i];
		if (!o->config)
			continue;
		char key[64];
		config_key(o, key);
		fprintf(f, "\n# %s\n", o->help);
		if (!o->def)
			fprintf(f, "# %s = \"...\";\n", key);
		else if (o->type == OPT_STR)
			fprintf(f, "%s = \"%s\";\n", key, o->def);
		else
			fprintf(f, "%s = %s;\n", key, o->def);
	}
	if (s->groups_example)
		fputs(s->groups_example, f);
}

/* Write text to a man page: '-' and '\\' escaped, a leading '.' or '\'' guarded, and
 * lines broken at a space after about 64 columns (mandoc asks for at most 80). */
static void man_text(FILE *f, const char *t)
{
	int col = 0;
	for (; *t; t++) {
		if (*t == ' ' && col >= 64) {
			fputc('\n', f);
			col = 0;
			continue;
		}
		if (col == 0 && (*t == '.' || *t == '\'')) {
			fputs("\\&", f);
			col += 2;
		}
		if (*t == '-')
			fputs("\\-", f);
		else if (*t == '\\')
			fputs("\\e", f);
		else
			fputc(*t, f);
		col += *t == '-' || *t == '\\' ? 2 : 1;
	}
}

/* One .TP entry of the OPTIONS section. */
static void man_entry(FILE *f, const char *prog, const char *name, const char *arg,
					  const char *help)
{
	fputs(".TP\n", f);
	fputs(arg ? ".BI \\-\\-" : ".B \\-\\-", f);
	man_text(f, name);
	if (arg) {
		fputs(" \" ", f);
		man_text(f, arg);
		fputc('"', f);
	}
	fputc('\n', f);
	/* Help texts are phrases ("debug, info, ..."); the man page wants sentences, but a
	 * program's name keeps its lower case. */
	char *sentence = xstrdup(help);
	if (strncmp(help, "zorg", 4) != 0 && strncmp(help, prog, strlen(prog)) != 0)
		sentence[0] = (char)toupper((unsigned char)sentence[0]);
	man_text(f, sentence);
	free(sentence);
	fputs(".\n", f);
}

void opts_print_man(const struct opt_set *s, FILE *f)
{
	fprintf(f, ".\\\" Generated by '%s --man-options' from its option table; do not edit.\n",
			s->prog);
	fputs(".SH OPTIONS\n", f);
	for (size_t i = 0; i < s->n; i++) {
		const struct opt *o = &s->opts[i];
		man_entry(f, s->prog, o->name, o->arg, o->help);
		if (o->def) {
			fputs("Default: ", f);
			man_text(f, o->def);
			fputs(".\n", f);
		}
		if (o->config) {
			char key[64];
			config_key(o, key);
			fprintf(f, "Configuration setting:\n.BR %s .\n", key);
		}
	}
	man_entry(f, s->prog, "help", NULL, "print a summary of the options and exit");
	man_entry(f, s->prog, "version", NULL, "print the version and exit");
}

void opts_free(const struct opt_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->opts[i].type == OPT_STR)
			XFREE((char **)(void *)((char *)s->base + s->opts[i].off));
}

int opts_parse(const struct opt_set *s, int argc, char **argv, const char *config_opt,
			   const char *default_config)
{
	char err[768];
	if (argc == 2 && strcmp(argv[1], "--man-options") == 0) {
		/* Hidden: the build writes the man pages' OPTIONS section with it. */
		opts_print_man(s, stdout);
		return 0;
	}
	for (size_t i = 0; i < s->n; i++)
		if (s->opts[i].def && !opts_set(s, &s->opts[i], s->opts[i].def, "default", err, sizeof err)) {
			fprintf(stderr, "%s: %s\n", s->prog, err);
			return 2;
		}
	struct option *lo = xcalloc(s->n + 3, sizeof *lo);
	for (size_t i = 0; i < s->n; i++)
		lo[i] = (struct option){s->opts[i].name,
								s->opts[i].type == OPT_FLAG ? no_argument : required_argument, NULL,
								(int)(i + 1000)};
	lo[s->n] = (struct option){"help", no_argument, NULL, 'h'};
	lo[s->n + 1] = (struct option){"version", no_argument, NULL, 'V'};
	int rc = -1, c;
	/* First pass: find the config file, so the command line can override it. */
	const char *cfg = NULL;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1)
		if (c >= 1000 && config_opt && strcmp(s->opts[c - 1000].name, config_opt) == 0)
			cfg = optarg;
	if (!cfg && default_config && access(default_config, F_OK) == 0)
		cfg = default_config;
	if (cfg && !opts_load_file(s, cfg, err, sizeof err)) {
		fprintf(stderr, "%s: %s\n", s->prog, err);
		free(lo);
		return 2;
	}
	optind = 1;
	opterr = 1;
	while (rc < 0 && (c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'h') {
			opts_usage(s, stdout);
			rc = 0;
		} else if (c == 'V') {
			printf("%s %s\n", s->prog, s->version);
			rc = 0;
		} else if (c < 1000) {
			fprintf(stderr, "Try '%s --help'.\n", s->prog);
			rc = 2;
		} else if (!opts_set(s, &s->opts[c - 1000], optarg ? optarg : "", "command line", err,
							 sizeof err)) {
			fprintf(stderr, "%s: %s\n", s->prog, err);
			rc = 2;
		}
	}
	if (rc < 0 && optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'. Try '%s --help'.\n", s->prog, argv[optind],
				s->prog);
		rc = 2;
	}
	free(lo);
	return rc;
}
