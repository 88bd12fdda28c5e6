/* scenario_check — scenario tests as data.
 *
 * usage: scenario_check DIR PSUSIM
 *
 * Each DIR/NAME.expect file holds one case:
 *
 *   # comment: where the expected figures come from
 *   args: run tests/scenarios/trip-200pct.ini --set scenario.duration=2min
 *   exit: 1
 *   verdict = fail
 *   circuits.wall.trip_time_s = 59.44 +- 0.01
 *   circuits.wall.tripped = true
 *
 * The program runs PSUSIM ARGS --json (no shell: the words of ARGS are the
 * arguments), parses the JSON summary with jansson and checks each line: a JSON
 * path (dots; an array step is an index or the element whose "name" matches; a
 * [bracketed] step may contain dots), a
 * value (number with optional "+- tol" or "+- N %", true/false/null, or a word
 * compared as a string). Prints a line per failed check and a closing
 * "N passed, N failed" line.
 */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAX_ARGS = 64, LINE_LEN = 1024 };

static int passed, failed;

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Runs ARGV, collects stdout into a malloc'd string; *STATUS gets the exit code. */
static char *run(char *const argv[], int *status)
{
    int fd[2];
    if (pipe(fd) != 0) return NULL;
    pid_t pid = fork();
    if (pid < 0) return NULL;
    if (pid == 0) {
        dup2(fd[1], STDOUT_FILENO);
        close(fd[0]);
        close(fd[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fd[1]);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    ssize_t n;
    while (buf && (n = read(fd[0], buf + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 2) {
            char *b = realloc(buf, cap *= 2);
            if (!b) { free(buf); buf = NULL; break; }
            buf = b;
        }
    }
    close(fd[0]);
    int ws = 0;
    waitpid(pid, &ws, 0);
    *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + (WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
    if (buf) buf[len] = '\0';
    return buf;
}

/* Follows a dotted PATH through ROOT. A segment in brackets may hold dots:
 * loads.card.window_max_w.[0.001]. */
static json_t *lookup(json_t *root, const char *path)
{
    char tmp[LINE_LEN];
    snprintf(tmp, sizeof tmp, "%s", path);
    json_t *node = root;
    char *p = tmp;
    while (node && *p) {
        char *seg = p, *end;
        if (*p == '[') {
            seg = p + 1;
            end = strchr(seg, ']');
            if (!end) return NULL;
            *end = '\0';
            p = end + 1;
            if (*p == '.') p++;
        } else {
            end = strchr(p, '.');
            if (end) {
                *end = '\0';
                p = end + 1;
            } else {
                p += strlen(p);
            }
        }
        if (json_is_object(node)) {
            node = json_object_get(node, seg);
        } else if (json_is_array(node)) {
            char *num_end;
            long idx = strtol(seg, &num_end, 10);
            if (*num_end == '\0') {
                node = json_array_get(node, (size_t)idx);
            } else {
                json_t *found = NULL, *el;
                size_t i;
                json_array_foreach(node, i, el) {
                    json_t *nm = json_object_get(el, "name");
                    if (json_is_string(nm) && strcmp(json_string_value(nm), seg) == 0) {
                        found = el;
                        break;
                    }
                }
                node = found;
            }
        } else {
            node = NULL;
        }
    }
    return node;
}

static void check(const char *file, int line, json_t *root, const char *path,
                  char *want)
{
    json_t *got = lookup(root, path);
    char *pm = strstr(want, "+-");
    int ok = 0;
    char desc[LINE_LEN];
    if (!got) {
        snprintf(desc, sizeof desc, "no such field");
    } else if (pm || (want[0] && strchr("-0123456789.", want[0]))) {
        double tol = 0, w;
        if (pm) {
            *pm = '\0';
            char *t = trim(pm + 2);
            tol = strtod(t, &t);
            if (strchr(t, '%')) tol = tol / 100.0 * fabs(strtod(want, NULL));
        }
        w = strtod(want, NULL);
        double g = json_number_value(got);
        ok = json_is_number(got) && fabs(g - w) <= tol;
        snprintf(desc, sizeof desc, "got %.10g, want %.10g +- %.3g", g, w, tol);
    } else if (strcmp(want, "true") == 0 || strcmp(want, "false") == 0) {
        ok = json_is_boolean(got) && (json_is_true(got) == (strcmp(want, "true") == 0));
        snprintf(desc, sizeof desc, "got %s, want %s",
                 json_is_true(got) ? "true" : json_is_false(got) ? "false" : "non-boolean",
                 want);
    } else if (strcmp(want, "null") == 0) {
        ok = json_is_null(got);
        snprintf(desc, sizeof desc, "want null");
    } else {
        ok = json_is_string(got) && strcmp(json_string_value(got), want) == 0;
        snprintf(desc, sizeof desc, "got '%s', want '%s'",
                 json_is_string(got) ? json_string_value(got) : "(not a string)", want);
    }
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s:%d: %s: %s\n", file, line, path, desc);
    }
}

static void run_case(const char *dir, const char *name, const char *psusim)
{
    char path[LINE_LEN];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        printf("FAIL %s: cannot open: %s\n", path, strerror(errno));
        failed++;
        return;
    }
    char line[LINE_LEN], args[LINE_LEN] = "";
    int want_exit = -1, lineno = 0, status = -1;
    json_t *root = NULL;
    char *out = NULL;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        char *t = trim(line);
        if (!*t || *t == '#') continue;
        if (strncmp(t, "args:", 5) == 0) {
            snprintf(args, sizeof args, "%s", trim(t + 5));
            continue;
        }
        if (strncmp(t, "exit:", 5) == 0) {
            want_exit = atoi(trim(t + 5));
            continue;
        }
        if (!out) {
            char *argv[MAX_ARGS + 3];
            int argc = 0;
            char words[LINE_LEN];
            snprintf(words, sizeof words, "%s", args);
            argv[argc++] = (char *)psusim;
            for (char *w = strtok(words, " \t"); w && argc < MAX_ARGS; w = strtok(NULL, " \t"))
                argv[argc++] = w;
            argv[argc++] = "--json";
            argv[argc] = NULL;
            out = run(argv, &status);
            json_error_t jerr;
            root = out ? json_loads(out, 0, &jerr) : NULL;
            if (want_exit >= 0) {
                if (status == want_exit) {
                    passed++;
                } else {
                    failed++;
                    printf("FAIL %s: exit status %d, want %d\n", path, status, want_exit);
                }
            }
            if (!root) {
                failed++;
                printf("FAIL %s: no JSON from '%s %s --json'\n", path, psusim, args);
                break;
            }
        }
        char *eq = strchr(t, '=');
        if (!eq) {
            failed++;
            printf("FAIL %s:%d: malformed line\n", path, lineno);
            continue;
        }
        *eq = '\0';
        check(path, lineno, root, trim(t), trim(eq + 1));
    }
    fclose(fp);
    json_decref(root);
    free(out);
}

static int is_expect(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 7 && strcmp(d->d_name + n - 7, ".expect") == 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: scenario_check DIR PSUSIM\n");
        return 2;
    }
    struct dirent **names;
    int n = scandir(argv[1], &names, is_expect, alphasort);
    if (n < 0) {
        fprintf(stderr, "scenario_check: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    /* SCENARIO_ONLY="a b": only those cases (names without .expect) */
    const char *only = getenv("SCENARIO_ONLY");
    int ran = 0;
    for (int i = 0; i < n; i++) {
        if (only && *only) {
            char want[300];
            snprintf(want, sizeof want, " %s ", names[i]->d_name);
            char *dot = strstr(want, ".expect");
            if (dot) memmove(dot, dot + 7, strlen(dot + 7) + 1);
            char hay[4096];
            snprintf(hay, sizeof hay, " %s ", only);
            if (!strstr(hay, want)) {
                free(names[i]);
                continue;
            }
        }
        ran++;
        int before = failed;
        run_case(argv[1], names[i]->d_name, argv[2]);
        printf("%s %s\n", failed == before ? "ok  " : "FAIL", names[i]->d_name);
        free(names[i]);
    }
    free(names);
    if (ran == 0) failed++;
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
