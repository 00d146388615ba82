/*
 * test_runit.c - the java command of a runit run script with the script's own shell
 * variables expanded as sh would: assignments before the command, $NAME / ${NAME} /
 * ${NAME:-default}, split into words unquoted and kept whole in double quotes or in an
 * assignment; an unknown variable stays as written and is flagged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runit.h"

static void assert_argv(const struct runit_command *c, const char *const *want, size_t n)
{
    assert_int_equal(c->argc, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(c->argv[i], want[i]);
}

static void test_the_scripts_variables_are_expanded(void **state)
{
    (void)state;
    const char *run = "#!/bin/sh\n"
                      "exec 2>&1\n"
                      "APP_HOME=/srv/shop\n"
                      "JAVA_OPTS=\"-Xmx512m  -Dserver.port=8081\" # memory and port\n"
                      "export MAIN=com.acme.Shop LANG\n"
                      "CP=$APP_HOME/lib/*:$APP_HOME/classes\n"
                      "cd $APP_HOME\n"
                      "exec chpst -u shop java $JAVA_OPTS -cp \"$CP\" ${MAIN} \\\n"
                      "  --spring.profiles.active=${PROFILE:-prod} '$NOT_EXPANDED'\n";
    struct runit_command c;
    assert_int_equal(runit_parse_run(run, strlen(run), &c), 0);
    const char *want[] = {"java",
                          "-Xmx512m",
                          "-Dserver.port=8081",
                          "-cp",
                          "/srv/shop/lib/*:/srv/shop/classes",
                          "com.acme.Shop",
                          "--spring.profiles.active=prod",
                          "$NOT_EXPANDED"};
    assert_argv(&c, want, sizeof(want) / sizeof(want[0]));
    assert_string_equal(c.cwd, "/srv/shop");
    assert_false(c.has_vars); /* single quotes keep a '$' as text: nothing unknown */
    runit_command_clear(&c);
}

static void test_empty_unknown_and_later_assignments(void **state)
{
    (void)state;
    /* an empty variable unquoted is no word; quoted it is an empty one */
    const char *empty = "OPTS=\nexec java $OPTS -jar app.jar \"$OPTS\"\n";
    struct runit_command c;
    assert_int_equal(runit_parse_run(empty, strlen(empty), &c), 0);
    const char *want_empty[] = {"java", "-jar", "app.jar", ""};
    assert_argv(&c, want_empty, 4);
    assert_false(c.has_vars);
    runit_command_clear(&c);

    /* a variable the script never assigns (the environment's) stays as written */
    const char *unknown = "exec java $JAVA_OPTS -jar \"${APP}.jar\" ${HOME:-/root}/x\n";
    assert_int_equal(runit_parse_run(unknown, strlen(unknown), &c), 0);
    const char *want_unknown[] = {"java", "$JAVA_OPTS", "-jar", "${APP}.jar", "/root/x"};
    assert_argv(&c, want_unknown, 5);
    assert_true(c.has_vars);
    runit_command_clear(&c);

    /* the last assignment before the command wins; one after it does not count; a value
     * with blanks assigned from another variable stays one value */
    const char *order = "A=-Xmx1g\nB=\"-Da=1 -Db=2\"\nA=$B\nexec java $A -jar x.jar\nA=-Xmx9g\n";
    assert_int_equal(runit_parse_run(order, strlen(order), &c), 0);
    const char *want_order[] = {"java", "-Da=1", "-Db=2", "-jar", "x.jar"};
    assert_argv(&c, want_order, 5);
    runit_command_clear(&c);
}

static void test_odd_scripts_do_not_break_the_parser(void **state)
{
    (void)state;
    const char *odd[] = {"exec java $",
                         "exec java ${",
                         "exec java ${UNCLOSED",
                         "exec java \"$",
                         "X=${X}${X}\nexec java $X",
                         "exec java ${1:-a} $1 $@ $$",
                         "A=\"\nexec java"};
    for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
        struct runit_command c;
        if (runit_parse_run(odd[i], strlen(odd[i]), &c) == 0) {
            assert_true(c.argc >= 1);
            assert_string_equal(c.argv[0], "java");
            runit_command_clear(&c);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_scripts_variables_are_expanded),
        cmocka_unit_test(test_empty_unknown_and_later_assignments),
        cmocka_unit_test(test_odd_scripts_do_not_break_the_parser),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
