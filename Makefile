# antq — PGXS build of one library (antq.so) and the extension scripts.
#
#   make demo   set everything up, start a private cluster, load the demo province, show it
#   make test   set everything up and run every test suite (what .ci/run calls)
#   make installcheck   every suite against a server you run, with antq installed and preloaded
#                       (PGHOST, PGPORT, PGUSER name it; no root, no packages installed)
#
# Sources are found by folder: every .c file of extension/ (the module's start-up, shared
# memory and shared helpers), its subsystem folders (types/, engine/, facts/, capture/, recompute/) and
# worker/ goes into antq.so, and the install script antq--$(EXTVERSION).sql is the concatenation of sql/[0-9]*.sql in name order.

EXTENSION   = antq
EXTVERSION  = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" antq.control)

MODULE_big  = antq
SUBSYSTEMS  = extension extension/types extension/engine extension/facts extension/capture extension/recompute worker
OBJS        = $(patsubst %.c,%.o,$(sort $(foreach d,$(SUBSYSTEMS),$(wildcard $(d)/*.c))))
SQL_PARTS   = $(sort $(wildcard sql/[0-9]*.sql))
DATA_built  = antq--$(EXTVERSION).sql
DATA        = $(wildcard sql/upgrade/antq--*--*.sql)

PG_CPPFLAGS = $(addprefix -I,$(SUBSYSTEMS))
# -Wno-unused-parameter: every fmgr function takes fcinfo whether it reads it or not.
PG_CFLAGS   = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers

# make installcheck, the PGXS way: pg_regress (tests/sql against tests/expected), the isolation
# tester (tests/specs), prove (tests/t, each test starting clusters of its own from the server's
# binaries), and pg_prove (tests/pgtap, in a database of its own on your server).
REGRESS        = $(basename $(notdir $(sort $(wildcard tests/sql/*.sql))))
REGRESS_OPTS   = --inputdir=tests --load-extension=antq --encoding=UTF8 --no-locale
ISOLATION      = $(basename $(notdir $(sort $(wildcard tests/specs/*.spec))))
ISOLATION_OPTS = --inputdir=tests --load-extension=antq --encoding=UTF8 --no-locale
TAP_TESTS      = 1
PROVE_TESTS    = $(sort $(wildcard tests/t/*.pl))

PG_CONFIG  ?= pg_config
PGXS       := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# The TAP tests' shared module (after the include, which resets PROVE_FLAGS for users).
PG_PROVE_FLAGS += -I $(CURDIR)/tests/t

# PGXS tracks no header dependencies unless the server was configured with --enable-depend:
# every object is rebuilt when any of the project's headers changes.
$(OBJS): $(foreach d,$(SUBSYSTEMS),$(wildcard $(d)/*.h))

$(DATA_built): $(SQL_PARTS) antq.control Makefile
	( echo "-- antq $(EXTVERSION): generated from sql/*.sql by the Makefile; do not edit."; \
	  printf '%s\n' '\echo Use "CREATE EXTENSION antq" to load this file. \quit'; \
	  for f in $(SQL_PARTS); do echo; echo "-- ==== $$f ===="; cat $$f; done ) > $@

# pgTAP is not a PGXS suite: it runs first, and refuses root (PostgreSQL::Test::Cluster's
# clusters cannot run as root, so the TAP tests would fail later for a reason less plain).
installcheck: installcheck-pgtap
installcheck-pgtap:
	@[ "$$(id -u)" -ne 0 ] || { echo "error: run make installcheck as an ordinary user (the TAP tests start PostgreSQL clusters, which refuse root), e.g. runuser -u postgres -- make installcheck" >&2; exit 1; }
	tools/pgtap.sh

.PHONY: deps demo demo-stop test installcheck-pgtap
deps:
	tools/deps.sh

demo:
	tools/demo.sh start

demo-stop:
	tools/demo.sh stop

# SUITES may name a subset: regress pgtap isolation tap (default: all).
test:
	tools/test.sh $(SUITES)
