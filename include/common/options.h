/* Options declared once in a table, from which the command line, the config file
 * (libconfig), --help and the example config are all derived. */
#ifndef ZT_COMMON_OPTIONS_H
#define ZT_COMMON_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum opt_type { OPT_STR, OPT_INT, OPT_FLAG };

/* One option. The config key is the name with '-' written as '_'. */
struct opt {
	const char *name;
	enum opt_type type;
	const char *def;  /* default as text, or NULL */
	const char *arg;  /* argument name for --help */
	int64_t min, max; /* for OPT_INT */
	bool config;      /* may be set in the config file */
	size_t off;       /* offset of the char * / int64_t / bool field in the target struct */
	const char *help;
};

/* A program's option table and where the values go. */
struct opt_set {
	const char *prog;
	const char *usage;   /* text printed above the option list by --help */
	const char *version; /* printed by --version */
	const struct opt *opts;
	size_t n;
	void *base; /* the struct the offsets refer to */
	/* Optional: called for each "key = value" string member of a group setting in the
	 * config file (e.g. keys = { help = "?"; }); false with err set rejects it. */
	bool (*on_group)(void *base, const char *group, const char *key, const char *value,
					 char *err, size_t errlen);
	const char *groups_example; /* appended to the example config */
};

/* Apply defaults, then the config file (the --config option if given, else default_config
 * when it exists), then the command line. Returns -1 to go on, 0 when --help/--version
 * was printed, 2 after printing an error to stderr. */
int opts_parse(const struct opt_set *s, int argc, char **argv, const char *config_opt,
			   const char *default_config);
/* Apply a config file; false with "file:line: reason" in err. */
bool opts_load_file(const struct opt_set *s, const char *path, char *err, size_t errlen);
/* Set option o from text v; false with a reason naming where in err. */
bool opts_set(const struct opt_set *s, const struct opt *o, const char *v, const char *where,
			  char *err, size_t errlen);
/* Print --help. */
void opts_usage(const struct opt_set *s, FILE *f);
/* Print an example config file with every config setting and its default. */
void opts_print_config(const struct opt_set *s, FILE *f);
/* Print the OPTIONS section of a man page (roff) for the table; the hidden command-line
 * option --man-options (alone) calls it, so --help, the example config and the man page
 * come from one table. */
void opts_print_man(const struct opt_set *s, FILE *f);
/* Free the string values. */
void opts_free(const struct opt_set *s);

#endif
