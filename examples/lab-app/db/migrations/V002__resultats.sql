-- Résultats d'analyses et comptes rendus (PostgreSQL 15)

CREATE TABLE resultats (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    prelevement_id   BIGINT NOT NULL REFERENCES prelevements (id),
    code_loinc       VARCHAR(10) NOT NULL,
    libelle          VARCHAR(120) NOT NULL,
    valeur           VARCHAR(64),
    unite            VARCHAR(16),
    interpretation   VARCHAR(5),
    valide_le        TIMESTAMPTZ
);

CREATE TABLE comptes_rendus (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    patient_id    UUID NOT NULL REFERENCES patients (id),
    statut        VARCHAR(10) NOT NULL DEFAULT 'BROUILLON',
    -- chiffré par l'application avec pgp_sym_encrypt() avant insertion
    conclusion_chiffree BYTEA,
    diffuse_le    TIMESTAMPTZ
);

-- HIV serology status, added for the infectious-disease follow-up (stored in clear: a finding)
ALTER TABLE patients ADD COLUMN statut_vih VARCHAR(8);
