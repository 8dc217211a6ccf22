/*
 * recompute_lock.c — the locks a recompute waits on (antq.lock_keys, sql/60_worker.sql) and
 * the registry's lock on a unit code (antq.unit_check), as heavyweight object locks that no
 * other role can take.
 *
 * They were advisory locks on hashes of 'antq <province> <year>': any role that could connect
 * computed the same hash, took the lock and held it, and the worker waited for it as long as
 * that session lived. An object lock is transaction-scoped and seen by the deadlock detector
 * as an advisory lock is, but its class id here is the OID of antq.pending, a table, not a
 * system catalog: no SQL command locks an object of that class (advisory locks have a tag type
 * of their own, and DDL locks objects of catalogs only), so only code that calls these
 * functions can take them, and only the extension's owner may execute them (sql/90_grants.sql)
 * but for antq.lock_unit_code, which writers' triggers call.
 *
 * The key of a (province, year): objid the year, objsubid the province code as a number (see
 * province_subid), 0 for the nation of the year. A unit code: objid a hash of the code, objsubid
 * UNIT_CODE_SPACE, which no province takes. pg_locks shows them as locktype 'object' with
 * classid 'antq.pending'::regclass.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "catalog/namespace.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "utils/lsyscache.h"
#include "utils/builtins.h"

#include "capture.h"

PG_FUNCTION_INFO_V1(antq_lock_recompute_key);
PG_FUNCTION_INFO_V1(antq_lock_unit_code);

#define NATION_SUBID	0
#define UNIT_CODE_SPACE	PG_INT16_MAX	/* pg_locks shows objsubid as a smallint */
#define HASHED_SUBID	20000		/* first subid of codes that are not 1 to 4 digits */

/*
 * The objsubid of a province code. Codes of 1 to 4 digits (they are 2: sql/21_registry_rules.sql)
 * map one to one into 10..19999 (10^length + value, so '02' and '2' differ), which keeps the
 * sorted order of antq.lock_keys free of deadlocks. Anything else hashes into 20000..32766:
 * two such codes may share a lock, which serializes their recomputes and could only deadlock
 * with codes that the registry does not accept.
 */
static uint16
province_subid(text *code)
{
	const char *s = VARDATA_ANY(code);
	int			len = VARSIZE_ANY_EXHDR(code);
	int			value = 0;
	int			scale = 1;
	int			i;

	for (i = 0; i < len && len <= 4 && s[i] >= '0' && s[i] <= '9'; i++)
	{
		value = value * 10 + (s[i] - '0');
		scale *= 10;
	}
	if (len > 0 && i == len)	/* 1 to 4 digits */
		return (uint16) (scale + value);
	return (uint16) (HASHED_SUBID + hash_bytes((const unsigned char *) s, len) % (UNIT_CODE_SPACE - HASHED_SUBID));
}

/* The class id of antq's locks: the OID of antq.pending. */
static Oid
lock_class(void)
{
	Oid			relid = antq_pending_relid();

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("antq's recompute locks need antq.pending, which does not exist"),
				 errhint("Create the extension again: CREATE EXTENSION antq.")));
	return relid;
}

/*
 * antq.lock_recompute_key(province_code, year): the exclusive recompute lock of a
 * province-year, or of the nation of the year when the province is NULL, until the
 * transaction ends.
 */
Datum
antq_lock_recompute_key(PG_FUNCTION_ARGS)
{
	uint16		subid = PG_ARGISNULL(0) ? NATION_SUBID : province_subid(PG_GETARG_TEXT_PP(0));

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("antq.lock_recompute_key() needs a year"),
				 errhint("Pass the assessment year of the key, e.g. 2025.")));
	LockDatabaseObject(lock_class(), (Oid) PG_GETARG_INT32(1), subid, ExclusiveLock);
	PG_RETURN_VOID();
}

/*
 * Whether this transaction holds antq.unit in SHARE ROW EXCLUSIVE mode or stronger, which no
 * other writer of the registry can share: its codes need no lock each. A reorganization of a
 * province (antq.apply_reorganization) writes tens of thousands of versions in one
 * transaction, more code locks than the lock table holds by default.
 */
static bool
registry_held(void)
{
	Oid			relid = get_relname_relid("unit", get_namespace_oid("antq", false));
	LOCKTAG		tag;

	if (!OidIsValid(relid))
		return false;
	SET_LOCKTAG_RELATION(tag, MyDatabaseId, relid);
	return LockHeldByMe(&tag, ShareRowExclusiveLock) || LockHeldByMe(&tag, ExclusiveLock) ||
		LockHeldByMe(&tag, AccessExclusiveLock);
}

/*
 * antq.lock_unit_code(code): the exclusive lock of a unit code until the transaction ends, so
 * that two writers registering versions of one code check them one after the other; nothing
 * when the transaction holds the whole registry (registry_held).
 */
Datum
antq_lock_unit_code(PG_FUNCTION_ARGS)
{
	text	   *code = PG_GETARG_TEXT_PP(0);

	if (registry_held())
		PG_RETURN_VOID();
	LockDatabaseObject(lock_class(), hash_bytes((const unsigned char *) VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code)),
					   UNIT_CODE_SPACE, ExclusiveLock);
	PG_RETURN_VOID();
}
