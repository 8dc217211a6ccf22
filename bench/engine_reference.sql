-- Reference implementation in PL/pgSQL of the rules the engine ships for Circular 124 (years
-- from 2022) and of the default classification, written by hand from docs/domain.md, for the
-- benchmark: the same inputs as antq.evaluate, the attainment in its text form (+ met, - not
-- met, . not applicable), and the rating 1..4. bench/engine_bench.sh checks that both agree on
-- every row.
CREATE SCHEMA bench;

-- No incident of these kinds at or above this severity rank, bar the exceptions.
CREATE FUNCTION bench.none(inc antq.incident[], kinds text[], min_rank int, fm_ok boolean, hp_ok boolean)
RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    i antq.incident;
BEGIN
    IF inc IS NULL THEN
        RETURN true;
    END IF;
    FOREACH i IN ARRAY inc LOOP
        CONTINUE WHEN NOT i.kind = ANY (kinds);
        CONTINUE WHEN min_rank > 0 AND coalesce(CASE i.severity WHEN 'less_serious' THEN 1 WHEN 'serious' THEN 2
                                                  WHEN 'very_serious' THEN 3 WHEN 'especially_serious' THEN 4 END, 0) < min_rank;
        CONTINUE WHEN (fm_ok AND i.force_majeure) OR (hp_ok AND i.handled_promptly);
        RETURN false;
    END LOOP;
    RETURN true;
END $$;

CREATE FUNCTION bench.ref_evaluate(k text, sk text, y int, f antq.assessment, prev antq.assessment[], inc antq.incident[], counts int[])
RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    q1 date := make_date(y, 1, 1);
    q2 date := make_date(y, 4, 1);
    p antq.assessment;
    last bigint;
    rank int := CASE f.force_rating WHEN 'not_completed' THEN 1 WHEN 'completed' THEN 2 WHEN 'completed_well' THEN 3 WHEN 'completed_excellently' THEN 4 ELSE 0 END;
    ra3 text[] := ARRAY['anti_state', 'sabotage', 'illegal_religion', 'exploiting_grievances', 'separatism', 'prolonged_dispute', 'inciting_crowds'];
    ra4d text[] := ARRAY['serious_fire_explosion', 'fatal_workplace_accident', 'serious_incident'];
    ag3g text[] := ARRAY['serious_fire_explosion', 'fatal_workplace_accident', 'serious_incident', 'environment_food_breach'];
    c4a boolean;
    c1 boolean;
    total int;
    out text;
BEGIN
    IF y < 2022 OR k NOT IN ('residential_area', 'commune', 'agency', 'enterprise', 'school') THEN
        RETURN NULL;
    END IF;
    IF prev IS NOT NULL THEN
        FOREACH p IN ARRAY prev LOOP
            IF p.crime_count IS NOT NULL THEN
                last := coalesce(last, 0) + p.crime_count;
            END IF;
        END LOOP;
    END IF;
    c4a := last IS NULL OR coalesce(f.crime_count <= last, false);
    IF k = 'residential_area' THEN
        out := CASE WHEN coalesce(f.registered_on >= q1 AND f.registered_on < q2 AND f.resolution_on >= q1 AND f.resolution_on < q2
                                  AND f.households_total > 0 AND f.households_registered >= f.households_total, false) THEN '+' ELSE '-' END
            || CASE WHEN coalesce(f.implements_policy, false) THEN '+' ELSE '-' END
            || CASE WHEN bench.none(inc, ra3, 0, false, false) THEN '+' ELSE '-' END
            || CASE WHEN c4a AND bench.none(inc, ARRAY['crime'], 2, true, true) AND coalesce(f.new_hotspots <= 0 AND f.new_vice_persons <= 0 AND f.monitored_managed, false)
                         AND bench.none(inc, ra4d, 0, true, false) THEN '+' ELSE '-' END
            || CASE WHEN rank >= 2 AND coalesce(f.force_disciplined <= 0, false) THEN '+' ELSE '-' END;
    ELSIF k = 'commune' THEN
        total := counts[1] + counts[4] + counts[7] + counts[10];
        out := CASE WHEN coalesce(f.resolution_on >= q1 AND f.resolution_on < q2 AND f.plan_on >= q1 AND f.plan_on < q2
                                  AND f.registered_on >= q1 AND f.registered_on < q2 AND f.active_models >= 1, false) THEN '+' ELSE '-' END
            || CASE WHEN coalesce(f.implements_policy, false) AND bench.none(inc, ra3, 0, false, false) AND c4a
                         AND bench.none(inc, ARRAY['crime'], 2, true, true) AND coalesce(f.new_hotspots <= 0 AND f.new_vice_persons <= 0 AND f.monitored_managed, false)
                         AND bench.none(inc, ra4d, 0, true, false) THEN '+' ELSE '-' END
            || CASE WHEN coalesce(f.police_proactive AND f.force_disciplined <= 0, false) THEN '+' ELSE '-' END
            || CASE WHEN coalesce(total, 0) = 0 THEN '.'
                    WHEN counts[2] + counts[5] + counts[8] + counts[11] >= total
                         AND (counts[3] + counts[6] + counts[9] + counts[12]) * 10 >= total * 7 THEN '+' ELSE '-' END;
    ELSE
        c1 := coalesce((NOT coalesce(f.has_party_org, false) OR (f.resolution_on >= q1 AND f.resolution_on < q2))
                       AND f.plan_on >= q1 AND f.plan_on < q2 AND f.registered_on >= q1 AND f.registered_on < q2
                       AND f.internal_rules AND f.staff_total > 0 AND f.staff_briefed >= f.staff_total AND f.active_models >= 1, false);
        IF k IN ('agency', 'enterprise') THEN
            out := CASE WHEN c1 THEN '+' ELSE '-' END
                || CASE WHEN coalesce(f.implements_policy, false) THEN '+' ELSE '-' END
                || CASE WHEN bench.none(inc, ARRAY['illegal_religion', 'exploiting_grievances', 'inciting_crowds', 'illegal_strike', 'state_secret_breach', 'staff_penalized'], 0, false, false)
                             AND bench.none(inc, ARRAY['crime'], 2, true, true) AND bench.none(inc, ag3g, 0, false, false) THEN '+' ELSE '-' END
                || CASE WHEN rank >= 3 AND coalesce(f.force_disciplined <= 0, false) THEN '+' ELSE '-' END
                || CASE WHEN coalesce(f.subunits_total > 0 AND f.subunits_rated_good * 10 >= f.subunits_total * 7, false) THEN '+' ELSE '-' END;
        ELSE
            out := CASE WHEN c1 THEN '+' ELSE '-' END
                || CASE WHEN coalesce(f.implements_policy, false)
                             AND (sk NOT IN ('lower_secondary', 'upper_secondary', 'multi_level') OR sk IS NULL OR coalesce(f.parents_board_coordination, false)) THEN '+' ELSE '-' END
                || CASE WHEN bench.none(inc, ARRAY['illegal_religion', 'exploiting_grievances', 'inciting_crowds', 'state_secret_breach'], 0, false, false)
                             AND bench.none(inc, ARRAY['crime'], 2, true, true) AND bench.none(inc, ag3g, 0, false, false) THEN '+' ELSE '-' END
                || CASE WHEN bench.none(inc, ARRAY['school_violence'], 0, false, false) AND coalesce(f.offenders_count <= 0, false) THEN '+' ELSE '-' END
                || CASE WHEN NOT coalesce(f.has_guard_force, false) THEN '.'
                        WHEN rank >= 3 AND coalesce(f.force_disciplined <= 0, false) THEN '+' ELSE '-' END
                || CASE WHEN coalesce(f.subunits_total > 0 AND f.subunits_rated_good * 10 >= f.subunits_total * 7, false) THEN '+' ELSE '-' END;
        END IF;
    END IF;
    RETURN out;
END $$;

-- Default bands (Xuất sắc >= 90, Khá >= 70, Trung bình >= 50, else Yếu) and the cap at Trung bình.
CREATE FUNCTION bench.ref_classify(k text, y int, score numeric, met boolean)
RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    r int;
BEGIN
    IF y < 2022 OR score IS NULL OR score < 0 THEN
        RETURN NULL;
    END IF;
    r := CASE WHEN score >= 90 THEN 4 WHEN score >= 70 THEN 3 WHEN score >= 50 THEN 2 ELSE 1 END;
    IF met IS FALSE AND r > 2 THEN
        r := 2;
    END IF;
    RETURN r;
END $$;
