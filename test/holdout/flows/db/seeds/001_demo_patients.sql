-- Demo data for the training environment (synthetic, regenerated every release)
INSERT INTO patients (id, mrn, nhs_number, given_name, family_name, date_of_birth, phone) VALUES
-- ruleid: hardcoded-health-identifier
  ('pt-2001', 'NGH2001', '5029716343', 'Grace', 'Adeyemi', '1991-05-21', '01632 960 184'),
-- ruleid: hardcoded-health-identifier
  ('pt-2002', 'NGH2002', '883 417 9021', 'Arthur', 'Pembridge', '1948-12-03', '01632 960 733'),
-- ok: hardcoded-health-identifier
  ('pt-2003', 'NGH2003', '4857773456', 'Test', 'Invalidcheck', '1970-01-01', NULL);

-- Specimens received from the GP collection round
INSERT INTO specimens (barcode, patient_id, collected_at, collected_epoch) VALUES
-- ok: hardcoded-health-identifier
  ('2406110079', 'pt-2001', '2024-06-11 09:12:00', 1718200102),
-- ok: hardcoded-health-identifier
  ('2406110080', 'pt-2002', '2024-06-11 09:20:00', 1718200600);

-- Cross-border patient registered through the French liaison office
INSERT INTO foreign_identifiers (patient_id, scheme, value) VALUES
-- ruleid: hardcoded-health-identifier
  ('pt-2004', 'FR-NIR', '2 82 11 75 108 123 79'),
-- ok: hardcoded-health-identifier
  ('pt-2005', 'FR-NIR', '2 82 11 75 108 123 00');

-- ok: hardcoded-health-identifier
UPDATE lab_settings SET value = '5200318858' WHERE key = 'next_order_number';
