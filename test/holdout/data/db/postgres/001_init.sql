-- Northgate EHR: core schema (PostgreSQL 16). Applied by the platform team with `psql -v ON_ERROR_STOP=1`.
create extension if not exists pgcrypto;

create schema if not exists ehr;

create table if not exists "ehr"."patients" (
    "id"             uuid primary key default gen_random_uuid(),
    -- ok: plaintext-health-data
    "given_name"     text not null,
    "family_name"    text not null,
    -- ok: plaintext-health-data
    "date_of_birth"  date not null,
    -- ruleid: plaintext-health-data
    "nhs_number"     char(10) unique,
    -- ruleid: plaintext-health-data
    "blood_type" /* ABO + RhD, e.g. 'O-' */ varchar(3),
    -- ok: plaintext-health-data
    "ssn_ciphertext" bytea,
    -- ruleid: plaintext-health-data
    "religion"       text,
    -- ok: plaintext-health-data
    "postcode"       varchar(8),
    "created_at"     timestamptz not null default now()
);

create table ehr.problem_list
(
    id            bigserial primary key,
    patient_id    uuid not null references ehr.patients (id),
    -- ruleid: plaintext-health-data
    problem       text not null,   -- free text, coded later
    -- ruleid: plaintext-health-data
    snomed_ct_code varchar(18),
    -- ok: plaintext-health-data
    onset_date    date,
    -- ok: plaintext-health-data
    status        varchar(12) not null default 'active'
);

create table ehr.lab_results (
    id uuid primary key default gen_random_uuid(),
    patient_id uuid not null references ehr.patients(id),
    -- ok: plaintext-health-data
    loinc_code varchar(10) not null,
    -- ruleid: plaintext-health-data
    result_value varchar(64),
    -- ok: plaintext-health-data
    units varchar(16),
    -- ok: plaintext-health-data
    reference_range varchar(32),
    -- ok: plaintext-health-data
    clinician_comment bytea,
    resulted_at timestamptz
);

create table ehr.patient_ssn_index (
    patient_id uuid primary key references ehr.patients(id),
    -- ruleid: plaintext-health-data
    ssn        text not null -- sha-256 hex, see patientWrites.ts
);

create table public.app_settings (
    key   varchar(64) primary key,
    -- ok: plaintext-health-data
    value text not null
);

create table public.feature_toggles (name text primary key, enabled boolean not null default false);

alter table ehr.patients
    -- ruleid: plaintext-health-data
    add column genotype_summary text,
    -- ok: plaintext-health-data
    add column preferred_pronouns varchar(16);

-- Seed for the training environment (invented people).
insert into ehr.patients (given_name, family_name, date_of_birth, ssn_ciphertext)
-- ok: plaintext-health-data
values ('Ada', 'Quill', '1984-02-29', pgp_sym_encrypt('900-12-3456', current_setting('app.field_key')));

-- ruleid: plaintext-health-data
insert into ehr.problem_list (patient_id, problem, snomed_ct_code) values ('00000000-0000-4000-8000-000000000001', 'Type 2 diabetes mellitus', '44054006');

-- ok: plaintext-health-data
update ehr.lab_results set clinician_comment = pgp_sym_encrypt('Repeat in 3 months', current_setting('app.field_key')) where loinc_code = '4548-4';
