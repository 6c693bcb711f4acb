-- EPR archive (SQL Server 2022). Always Encrypted keys provisioned by the DBA team.
IF NOT EXISTS (SELECT 1 FROM sys.schemas WHERE name = N'arch') EXEC('CREATE SCHEMA arch');
GO

CREATE TABLE [arch].[Discharges]
(
    [Id]                 BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    -- ok: plaintext-health-data
    [PatientId]          UNIQUEIDENTIFIER NOT NULL,
    -- ok: plaintext-health-data
    [NhsNumber]          CHAR(10) COLLATE Latin1_General_BIN2
        ENCRYPTED WITH (ENCRYPTION_TYPE = DETERMINISTIC, ALGORITHM = 'AEAD_AES_256_CBC_HMAC_SHA_256', COLUMN_ENCRYPTION_KEY = [CEK_Northgate]) NOT NULL,
    -- ruleid: plaintext-health-data
    [DischargeDiagnosis] NVARCHAR(400) NULL,
    -- ruleid: plaintext-health-data
    [Icd10Codes]         NVARCHAR(200) NULL,
    -- ok: plaintext-health-data
    [DischargeSummary]   NVARCHAR(MAX)
        ENCRYPTED WITH (COLUMN_ENCRYPTION_KEY = [CEK_Northgate], ENCRYPTION_TYPE = RANDOMIZED, ALGORITHM = 'AEAD_AES_256_CBC_HMAC_SHA_256') NULL,
    -- ruleid: plaintext-health-data
    [SubstanceMisuse]    BIT NULL,
    -- ok: plaintext-health-data
    [WardCode]           VARCHAR(8) NOT NULL,
    -- ok: plaintext-health-data
    [DischargedAt]       DATETIME2(0) NOT NULL
);
GO

CREATE TABLE dbo.ReportSettings ( SettingName sysname PRIMARY KEY, [Value] NVARCHAR(400) NOT NULL );
GO

-- Export for the national audit (JSON file produced by the agent job step)
-- ruleid: select-star-export
SELECT * FROM [arch].[Discharges] WHERE [DischargedAt] >= '2024-04-01' FOR JSON AUTO;
GO

-- ruleid: select-star-export
SELECT d.* FROM arch.Discharges AS d WHERE d.WardCode = 'W7' FOR XML PATH('discharge'), ROOT('discharges');
GO

-- ok: select-star-export
SELECT WardCode, COUNT(*) AS Discharges FROM arch.Discharges GROUP BY WardCode FOR JSON PATH;
GO

-- ok: select-star-export
IF EXISTS (SELECT * FROM sys.objects WHERE name = N'ReportSettings') SELECT * FROM dbo.ReportSettings;
GO

-- ruleid: plaintext-health-data
INSERT INTO [arch].[Discharges] ([PatientId], [DischargeDiagnosis], [WardCode], [DischargedAt]) VALUES (NEWID(), N'Alcohol withdrawal', 'W7', SYSUTCDATETIME());
GO
