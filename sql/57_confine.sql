-- Per-province confinement (giới hạn theo tỉnh): every province's units and facts live in one
-- database, and a login role bound to provinces with antq.grant_province reads and writes only
-- theirs. Row-level security on each table of the analyst API that holds province data does it,
-- so the planner sees the filter like any other qual; roles bound to no province (the ministry's
-- analysts) see everything, as the owner, superusers and the worker (which bypass row-level
-- security) do.
--
-- Whose grants apply: the login role's (session_user) when it has any, else the current role's.
-- Keying on the current role alone would let a confined login escape with SET ROLE antq_writer
-- (PostgreSQL 15 has no GRANT ... WITH SET FALSE); keying on the login alone would not confine a
-- superuser testing with SET ROLE w08. The policies call antq.confined_provinces() in a scalar
-- subquery, so it runs once per query (an InitPlan), not once per row, and a role bound to no
-- province costs a test of that one value per row.

CREATE TABLE antq.province_grant (
    role          regrole     NOT NULL,
    province_code text        NOT NULL,
    granted_by    name        NOT NULL,
    granted_at    timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (role, province_code)
);
COMMENT ON TABLE antq.province_grant IS
  'Provinces a login role is confined to (phân quyền theo tỉnh): a role with rows here reads and writes only the units and facts of those provinces; written by antq.grant_province and antq.revoke_province, readable by admins.';
COMMENT ON COLUMN antq.province_grant.role IS 'Login role confined (vai trò đăng nhập bị giới hạn).';
COMMENT ON COLUMN antq.province_grant.province_code IS 'Code of a province the role may read and write (mã tỉnh được phép), e.g. 08.';
COMMENT ON COLUMN antq.province_grant.granted_by IS 'Login role that granted it (người cấp quyền), session_user of the call.';
COMMENT ON COLUMN antq.province_grant.granted_at IS 'When it was granted (thời điểm cấp quyền).';
-- Grants are the database's own configuration, like the provinces' data: pg_dump keeps them.
SELECT pg_catalog.pg_extension_config_dump('antq.province_grant', '');

-- The provinces the current query is confined to; NULL: every province. SECURITY DEFINER so
-- that readers need no privilege on the grants; the current role is passed by the caller (a
-- default evaluated before the call switches to the owner).
CREATE FUNCTION antq.confined_provinces(p_role name DEFAULT CURRENT_USER)
RETURNS text[] LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT coalesce(
    (SELECT array_agg(g.province_code ORDER BY g.province_code)
       FROM antq.province_grant g
      WHERE g.role OPERATOR(pg_catalog.=) (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) SESSION_USER)),
    (SELECT array_agg(g.province_code ORDER BY g.province_code)
       FROM antq.province_grant g
      WHERE g.role OPERATOR(pg_catalog.=) (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) p_role)))
$$;
COMMENT ON FUNCTION antq.confined_provinces(name) IS
  'Provinces the session is confined to (các tỉnh được phép), NULL when unconfined: the provinces granted to the login role (session_user) if it has any, else those granted to p_role (by default the current role, so a superuser testing with SET ROLE is confined as that role). Row-level security policies call it once per query.';

-- The error of a write outside the session's provinces: SQLSTATE 42501, the unit and its province
-- named, with a hint. Returns boolean so that a policy can call it; it always raises.
CREATE FUNCTION antq.confine_reject(p_table text, p_unit text, p_province_code text, p_provinces text[])
RETURNS boolean LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION '% of province % is outside the provinces this session may write (%)',
            p_unit, coalesce(p_province_code, '(none)'), array_to_string(p_provinces, ', ')
        USING ERRCODE = 'insufficient_privilege', TABLE = p_table, SCHEMA = 'antq',
              HINT = format('Write only units and facts of province %s; an unconfined administrator binds a role to another province with antq.grant_province(role, province_code).',
                            array_to_string(p_provinces, ', '));
    RETURN false;
END
$$;
COMMENT ON FUNCTION antq.confine_reject(text, text, text, text[]) IS
  'Refuse a write outside the session''s provinces (từ chối ghi ngoài tỉnh được phép): raises insufficient_privilege naming the table, the unit and its province, with a hint naming antq.grant_province.';

-- Whether a unit lies in the session's provinces, raising the readable error when it does not.
-- SECURITY DEFINER: the unit is one the caller cannot see. When the login role is confined its
-- own grants are used whatever p_provinces says, so a confined session cannot widen its reach
-- by passing another list; an unconfined login passes its current role's.
CREATE FUNCTION antq.unit_within_reach(p_table text, p_unit_id bigint, p_provinces text[])
RETURNS boolean LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    reach text[] := coalesce(antq.confined_provinces(SESSION_USER), p_provinces);
    u     record;
BEGIN
    IF reach IS NULL THEN
        RETURN true;
    END IF;
    SELECT v.kind, v.code, v.province_code INTO u FROM antq.unit v WHERE v.unit_id OPERATOR(pg_catalog.=) p_unit_id;
    -- An unknown unit is the foreign key's (or the trigger's) to report.
    IF NOT FOUND OR u.province_code OPERATOR(pg_catalog.=) ANY (reach) THEN
        RETURN true;
    END IF;
    RETURN antq.confine_reject(p_table, format('%s %s (unit_id %s)', u.kind, u.code, p_unit_id), u.province_code, reach);
END
$$;
COMMENT ON FUNCTION antq.unit_within_reach(text, bigint, text[]) IS
  'Whether a unit version lies in the session''s provinces (đơn vị thuộc tỉnh được phép): true, or insufficient_privilege naming the unit''s code and province; true for an unknown unit (its own check reports it). The write policies of the fact tables and of the lineage call it.';

-- Binding a role to a province, and taking it back. Only an unconfined administrator may: a
-- confined one would otherwise grant itself the nation.
CREATE FUNCTION antq.grant_check(p_role regrole, p_province_code text)
RETURNS void LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r pg_catalog.pg_roles;
BEGIN
    IF antq.confined_provinces(SESSION_USER) IS NOT NULL THEN
        RAISE EXCEPTION 'role % is confined to province %: it cannot grant or revoke provinces', SESSION_USER,
                array_to_string(antq.confined_provinces(SESSION_USER), ', ')
            USING ERRCODE = 'insufficient_privilege', TABLE = 'province_grant', SCHEMA = 'antq',
                  HINT = 'An administrator bound to no province (a ministry role) grants provinces.';
    END IF;
    IF p_role IS NULL OR p_province_code IS NULL THEN
        RAISE EXCEPTION 'a province grant needs a role and a province code'
            USING ERRCODE = 'null_value_not_allowed', TABLE = 'province_grant', SCHEMA = 'antq',
                  HINT = 'Call antq.grant_province(''province_08_system'', ''08'').';
    END IF;
    SELECT * INTO r FROM pg_catalog.pg_roles x WHERE x.oid OPERATOR(pg_catalog.=) p_role;
    IF r.rolsuper OR r.rolbypassrls THEN
        RAISE EXCEPTION 'role % bypasses row-level security and cannot be confined to a province', r.rolname
            USING ERRCODE = 'invalid_parameter_value', TABLE = 'province_grant', SCHEMA = 'antq',
                  HINT = 'Confine an ordinary login role (NOSUPERUSER NOBYPASSRLS) that is granted antq_reader or antq_writer.';
    END IF;
    IF NOT r.rolcanlogin THEN
        RAISE EXCEPTION 'role % cannot log in: confining it would not confine its members', r.rolname
            USING ERRCODE = 'invalid_parameter_value', TABLE = 'province_grant', SCHEMA = 'antq',
                  HINT = 'Grant provinces to each login role that connects (its session_user); membership in a confined role does not confine.';
    END IF;
    IF NOT EXISTS (SELECT FROM antq.unit u WHERE u.kind OPERATOR(pg_catalog.=) 'province'
                                             AND u.code OPERATOR(pg_catalog.=) p_province_code) THEN
        RAISE EXCEPTION 'province "%" is not in the registry', antq.clip(p_province_code, 40)
            USING ERRCODE = 'foreign_key_violation', COLUMN = 'province_code', TABLE = 'province_grant', SCHEMA = 'antq',
                  HINT = 'Province codes have 2 digits and are registered in antq.unit with kind province, e.g. 08.';
    END IF;
END
$$;
COMMENT ON FUNCTION antq.grant_check(regrole, text) IS
  'Checks of antq.grant_province and antq.revoke_province (kiểm tra cấp quyền theo tỉnh): the caller''s login is unconfined, the role is an ordinary login role, the province is registered.';

CREATE FUNCTION antq.grant_province(p_role regrole, p_province_code text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM antq.grant_check(p_role, p_province_code);
    INSERT INTO antq.province_grant (role, province_code, granted_by)
    VALUES (p_role, p_province_code, SESSION_USER)
    ON CONFLICT DO NOTHING;
END
$$;
COMMENT ON FUNCTION antq.grant_province(regrole, text) IS
  'Confine a login role to a province, or add one to its provinces (cấp quyền theo tỉnh): from then on it reads and writes the units and facts of its provinces only (the nation rows of antq.summary stay public). Unconfined administrators only; granting twice does nothing.';

CREATE FUNCTION antq.revoke_province(p_role regrole, p_province_code text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM antq.grant_check(p_role, p_province_code);
    DELETE FROM antq.province_grant g
     WHERE g.role OPERATOR(pg_catalog.=) p_role AND g.province_code OPERATOR(pg_catalog.=) p_province_code;
    IF FOUND AND NOT EXISTS (SELECT FROM antq.province_grant g WHERE g.role OPERATOR(pg_catalog.=) p_role) THEN
        RAISE WARNING 'role % is no longer confined: it now reads and writes every province', p_role
            USING HINT = 'Grant it another province first, or REVOKE antq_reader (or antq_writer) from it.';
    END IF;
END
$$;
COMMENT ON FUNCTION antq.revoke_province(regrole, text) IS
  'Take a province from a role''s provinces (thu hồi quyền theo tỉnh). Taking its last one leaves the role unconfined (it then sees every province), with a warning. Unconfined administrators only.';

-- Row-level security: ENABLE, not FORCE, so that the owner (the worker, antq.refresh, the
-- capture and the foreign keys) reads and writes every province. The same expression in each:
-- the role's provinces once per query, and the row's province among them.
DO $do$
DECLARE
    confined constant text := '(SELECT antq.confined_provinces())';
    unconfined constant text := format('%s IS NULL', confined);
    -- a row of a fact table (or anything with unit_id) whose unit lies in the provinces
    by_unit constant text := format(
        'EXISTS (SELECT FROM antq.unit u WHERE u.unit_id OPERATOR(pg_catalog.=) %%I.unit_id AND u.province_code OPERATOR(pg_catalog.=) ANY (%s::pg_catalog.text[]))',
        confined);
    t text;
BEGIN
    EXECUTE format($p$ALTER TABLE antq.unit ENABLE ROW LEVEL SECURITY;
        CREATE POLICY unit_confined ON antq.unit
        USING (%1$s OR province_code OPERATOR(pg_catalog.=) ANY (%2$s::pg_catalog.text[]))
        WITH CHECK (%1$s OR province_code OPERATOR(pg_catalog.=) ANY (%2$s::pg_catalog.text[])
                    OR antq.confine_reject('unit', pg_catalog.format('%%s %%s', kind, code), province_code, %2$s))$p$,
        unconfined, confined);
    EXECUTE format($p$ALTER TABLE antq.unit_lineage ENABLE ROW LEVEL SECURITY;
        CREATE POLICY unit_lineage_confined ON antq.unit_lineage
        USING (%1$s OR EXISTS (SELECT FROM antq.unit u
                                WHERE u.unit_id OPERATOR(pg_catalog.=) ANY (ARRAY[unit_lineage.predecessor_id, unit_lineage.successor_id])
                                  AND u.province_code OPERATOR(pg_catalog.=) ANY (%2$s::pg_catalog.text[])))
        WITH CHECK (%1$s OR (antq.unit_within_reach('unit_lineage', predecessor_id, %2$s)
                             AND antq.unit_within_reach('unit_lineage', successor_id, %2$s)))$p$,
        unconfined, confined);
    FOREACH t IN ARRAY ARRAY['assessment', 'incident', 'score', 'model_check', 'decision', 'model_participation'] LOOP
        EXECUTE format($p$ALTER TABLE antq.%1$I ENABLE ROW LEVEL SECURITY;
            CREATE POLICY %2$I ON antq.%1$I
            USING (%3$s OR %4$s)
            WITH CHECK (%3$s OR antq.unit_within_reach(%5$L, unit_id, %6$s))$p$,
            t, t || '_confined', unconfined, format(by_unit, t), t, confined);
    END LOOP;
    -- Results and summaries are read only (antq writes them as the owner).
    EXECUTE format($p$ALTER TABLE antq.unit_result ENABLE ROW LEVEL SECURITY;
        CREATE POLICY unit_result_confined ON antq.unit_result
        USING (%1$s OR province_code OPERATOR(pg_catalog.=) ANY (%2$s::pg_catalog.text[]))$p$,
        unconfined, confined);
    EXECUTE format($p$ALTER TABLE antq.summary ENABLE ROW LEVEL SECURITY;
        CREATE POLICY summary_confined ON antq.summary
        USING (province_code IS NULL OR %1$s OR province_code OPERATOR(pg_catalog.=) ANY (%2$s::pg_catalog.text[]))$p$,
        unconfined, confined);
END
$do$;
COMMENT ON POLICY unit_confined ON antq.unit IS
  'Confinement (giới hạn theo tỉnh): a confined role reads and writes only units of its provinces (antq.confined_provinces()); a unit moved or registered under another province is refused with insufficient_privilege.';
COMMENT ON POLICY unit_lineage_confined ON antq.unit_lineage IS
  'Confinement (giới hạn theo tỉnh): a confined role reads a lineage link when its predecessor or its successor lies in its provinces, and writes one only when both do (a link across provinces is written by a role granted both, or an unconfined one).';
COMMENT ON POLICY assessment_confined ON antq.assessment IS
  'Confinement (giới hạn theo tỉnh): a confined role reads and writes only assessments of units of its provinces; a write for another province''s unit raises insufficient_privilege naming the unit.';
COMMENT ON POLICY incident_confined ON antq.incident IS
  'Confinement (giới hạn theo tỉnh): a confined role reads and writes only incidents of units of its provinces; a write for another province''s unit raises insufficient_privilege naming the unit.';
COMMENT ON POLICY score_confined ON antq.score IS
  'Confinement (giới hạn theo tỉnh): a confined role reads and writes only scores of units of its provinces; a write for another province''s unit raises insufficient_privilege naming the unit.';
COMMENT ON POLICY model_check_confined ON antq.model_check IS
  'Confinement (giới hạn theo tỉnh): a confined role reads and writes only model-unit checks of units of its provinces; a write for another province''s unit raises insufficient_privilege naming the unit.';
COMMENT ON POLICY decision_confined ON antq.decision IS
  'Confinement (giới hạn theo tỉnh): a confined role reads and writes only decisions on units of its provinces; a write for another province''s unit raises insufficient_privilege naming the unit.';
COMMENT ON POLICY model_participation_confined ON antq.model_participation IS
  'Confinement (giới hạn theo tỉnh): a confined role reads and writes only the model-unit programme selections of units of its provinces; a write for another province''s unit raises insufficient_privilege naming the unit.';
COMMENT ON POLICY unit_result_confined ON antq.unit_result IS
  'Confinement (giới hạn theo tỉnh): a confined role reads only the results of units of its provinces.';
COMMENT ON POLICY summary_confined ON antq.summary IS
  'Confinement (giới hạn theo tỉnh): a confined role reads only the summaries of its provinces and their communes and districts, and the nation rows (province_code NULL), which are public.';

-- The views read their tables as the caller, so that the policies above filter them too (a
-- view owned by the extension's owner would otherwise read as the owner, who bypasses them).
ALTER VIEW antq.v_unit_result SET (security_invoker = true);
ALTER VIEW antq.v_summary SET (security_invoker = true);
ALTER VIEW antq.v_summary_incident SET (security_invoker = true);
ALTER VIEW antq.v_summary_by_authority SET (security_invoker = true);
ALTER VIEW antq.unit_result_computed SET (security_invoker = true);

-- Who was confined to which province, and by whom, is in the audit trail too (sql/56_audit.sql).
SELECT antq.attach_audit('antq.province_grant');
