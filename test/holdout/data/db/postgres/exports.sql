-- Exports run by the `northgate-export` cron container (psql -f).

-- Quarterly extract for the commissioning support unit
copy (
    -- ruleid: select-star-export
    select *
      from ehr.patients
) to '/srv/exports/patients.csv' with (format csv, header true);

-- ruleid: select-star-export
copy (select pl.*, p.nhs_number from ehr.problem_list pl join ehr.patients p on p.id = pl.patient_id) to stdout with csv header;

-- Activity counts for the board report
-- ok: select-star-export
copy (select loinc_code, count(*) as n from ehr.lab_results group by loinc_code) to '/srv/exports/volumes.csv' with (format csv, header);

-- Before the 2025 re-platforming
-- ruleid: select-star-export
create table ehr.lab_results_backup_2025 as select * from ehr.lab_results;

-- ruleid: select-star-export
insert into archive.problem_list select * from ehr.problem_list where onset_date < now() - interval '8 years';

create or replace view ehr.v_research_extract as
    -- ruleid: select-star-export
    select r.*, p.date_of_birth
      from ehr.lab_results r
      join ehr.patients p on p.id = r.patient_id;

create or replace view ehr.v_research_extract_min as
    -- ok: select-star-export
    select r.loinc_code, r.units, extract(year from p.date_of_birth) as birth_year
      from ehr.lab_results r
      join ehr.patients p on p.id = r.patient_id;

-- Patients with no result for 8 years: only ids leave
-- ok: select-star-export
copy (select p.id from ehr.patients p where not exists (select * from ehr.lab_results r where r.patient_id = p.id and r.resulted_at > now() - interval '8 years')) to '/srv/exports/purge.csv' with (format csv);

-- ok: select-star-export
select * from public.app_settings where key like 'export.%';

/*
 * Superseded export, disabled in 2024:
 * copy (select * from ehr.patients) to '/srv/exports/all.csv' with (format csv);
 */
-- ok: select-star-export
select count(*) as exported from ehr.patients;
