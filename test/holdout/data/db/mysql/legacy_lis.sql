-- Legacy LIS (MySQL 5.7), kept read-mostly until the 2026 decommission.
SET NAMES utf8mb4;

CREATE TABLE IF NOT EXISTS `patients` (
  `id` int unsigned NOT NULL AUTO_INCREMENT,
  -- ok: plaintext-health-data
  `surname` varchar(80) NOT NULL,
  `forename` varchar(80) NOT NULL,
  -- ok: plaintext-health-data
  `dob` date DEFAULT NULL,
  -- ruleid: plaintext-health-data
  `blood_type` char(3) DEFAULT NULL,
  -- ok: plaintext-health-data
  `nhs_number_enc` varbinary(64) DEFAULT NULL COMMENT 'AES_ENCRYPT(nhs_number, @key)',
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

create table `patient_diagnosis` (
  `id` int unsigned not null auto_increment primary key,
  `patient_id` int unsigned not null,
  -- ruleid: plaintext-health-data
  `icd10_code` varchar(8) not null,
  -- ruleid: plaintext-health-data
  `diagnosis_text` text,
  -- ruleid: plaintext-health-data
  `nhs_number` char(10),
  -- ok: plaintext-health-data
  `diagnosis_enc` varbinary(1024),
  -- ok: plaintext-health-data
  `coded_by` varchar(60),
  key `ix_patient` (`patient_id`)
) engine=InnoDB;

CREATE TABLE lab_orders (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  patient_id INT UNSIGNED NOT NULL,
  -- ok: plaintext-health-data
  test_code VARCHAR(12) NOT NULL,
  -- ruleid: plaintext-health-data
  clinical_notes TEXT,
  -- ok: plaintext-health-data
  ordered_at DATETIME NOT NULL
);

CREATE TABLE lis_settings (
  setting_key VARCHAR(64) PRIMARY KEY,
  -- ok: plaintext-health-data
  setting_value VARCHAR(255) NOT NULL
);

-- The ICD-10 code still goes in clear next to the encrypted text.
-- ruleid: plaintext-health-data
insert into `patient_diagnosis` (`patient_id`, `icd10_code`, `diagnosis_enc`) values (1, 'Z00.0', aes_encrypt('Routine check', @field_key));

-- ruleid: plaintext-health-data
INSERT INTO `patient_diagnosis` (`patient_id`, `icd10_code`, `diagnosis_text`) VALUES (2, 'B20', 'HIV disease');

-- ruleid: plaintext-health-data
UPDATE `patients` SET `blood_type` = 'AB-' WHERE `id` = 2;

-- Weekly dump to the commissioning share
-- ruleid: select-star-export
SELECT * FROM `patient_diagnosis` INTO OUTFILE '/var/lib/mysql-files/diagnoses.csv' FIELDS TERMINATED BY ',';

SELECT d.icd10_code, COUNT(*) AS n
-- ok: select-star-export
INTO OUTFILE '/var/lib/mysql-files/diagnosis_counts.csv'
FROM `patient_diagnosis` d GROUP BY d.icd10_code;

-- ruleid: select-star-export
select `p`.*, `d`.`diagnosis_text` from `patients` `p` join `patient_diagnosis` `d` on `d`.`patient_id` = `p`.`id`;

-- ok: select-star-export
select * from lis_settings;
