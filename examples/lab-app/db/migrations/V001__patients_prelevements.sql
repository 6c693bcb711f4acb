-- Biolab Demo : schéma initial (PostgreSQL 15)
-- Laboratoire fictif ; aucune donnée réelle.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE patients (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    nom             VARCHAR(80)  NOT NULL,
    prenom          VARCHAR(80)  NOT NULL,
    date_naissance  DATE         NOT NULL,
    sexe            CHAR(1)      NOT NULL,
    nir             CHAR(15),
    telephone       VARCHAR(20),
    email           VARCHAR(120),
    cree_le         TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE prelevements (
    id                 BIGSERIAL PRIMARY KEY,
    code_barre         VARCHAR(14) UNIQUE NOT NULL,
    patient_id         UUID NOT NULL REFERENCES patients (id),
    preleve_le         TIMESTAMPTZ NOT NULL,
    renseignements_cliniques TEXT,
    statut             VARCHAR(12) NOT NULL DEFAULT 'ATTENDU'
);

CREATE TABLE lab_settings (
    cle     VARCHAR(64) PRIMARY KEY,
    valeur  TEXT NOT NULL
);
