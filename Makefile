# antq — PGXS build of one library (antq.so) and the extension scripts.
#
#   make demo   set everything up, start a private cluster, load the demo province, show it
#   make test   set everything up and run every test suite (what .ci/run calls)
#
# Sources are found by folder: every extension/*.c and worker/*.c goes into antq.so, and the
# install script antq--$(EXTVERSION).sql is the concatenation of sql/[0-9]*.sql in name order.

EXTENSION   = antq
EXTVERSION  = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" antq.control)

MODULE_big  = antq
OBJS        = $(patsubst %.c,%.o,$(sort $(wildcard extension/*.c worker/*.c)))
SQL_PARTS   = $(sort $(wildcard sql/[0-9]*.sql))
DATA_built  = antq--$(EXTVERSION).sql
DATA        = $(wildcard sql/upgrade/antq--*--*.sql)

PG_CPPFLAGS = -Iextension -Iworker
# -Wno-unused-parameter: every fmgr function takes fcinfo whether it reads it or not.
PG_CFLAGS   = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers

PG_CONFIG  ?= pg_config
PGXS       := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS tracks no header dependencies unless the server was configured with --enable-depend:
# every object is rebuilt when any of the project's headers changes.
$(OBJS): $(wildcard extension/*.h worker/*.h)

$(DATA_built): $(SQL_PARTS) antq.control Makefile
	( echo "-- antq $(EXTVERSION): generated from sql/*.sql by the Makefile; do not edit."; \
	  printf '%s\n' '\echo Use "CREATE EXTENSION antq" to load this file. \quit'; \
	  for f in $(SQL_PARTS); do echo; echo "-- ==== $$f ===="; cat $$f; done ) > $@

.PHONY: deps demo demo-stop test
deps:
	tests/tools/deps.sh

demo:
	tests/tools/demo.sh start

demo-stop:
	tests/tools/demo.sh stop

# SUITES may name a subset: regress pgtap isolation tap (default: all).
test:
	tests/tools/test.sh $(SUITES)
