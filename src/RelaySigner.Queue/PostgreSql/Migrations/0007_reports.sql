-- Version 5: the DMARC aggregate reports. Runs in one transaction under the migration lock (PostgreSqlMigrations).
-- A self-contained step: no queue table refers to these tables or they to it.
--
-- * dmarc_reports: a report's metadata and the policy the reporter saw, unique by reporter (org name in lower case)
--   and report id, so a report imported twice, by two nodes at once included, is stored once.
-- * dmarc_records: its rows, keyed by report and position. Raw DKIM and SPF results are JSON arrays of
--   [domain, selector, result] (null when none): only shown, never searched, so text rather than jsonb.
-- * dmarc_source_days and dmarc_reporter_source_days: the dashboard's sums, kept by the import's own statement, per
--   policy domain, UTC day of the report's begin and source IP (and reporter): a window is a range of one primary key,
--   whatever the number of records.

CREATE TABLE relaysigner.dmarc_reports (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_key     text        NOT NULL,
    org_name    text        NOT NULL,
    report_id   text        NOT NULL,
    begin_at    timestamptz NOT NULL,
    end_at      timestamptz NOT NULL,
    domain      text        NOT NULL,
    p           text        NOT NULL,
    sp          text        NULL,
    pct         integer     NOT NULL,
    adkim       text        NOT NULL,
    aspf        text        NOT NULL,
    imported_at timestamptz NOT NULL,
    UNIQUE (org_key, report_id)
);

CREATE INDEX dmarc_reports_domain_end ON relaysigner.dmarc_reports (domain, end_at);

CREATE TABLE relaysigner.dmarc_records (
    report        bigint  NOT NULL REFERENCES relaysigner.dmarc_reports (id) ON DELETE CASCADE,
    ordinal       integer NOT NULL,
    source_ip     inet    NOT NULL,
    count         bigint  NOT NULL,
    disposition   text    NOT NULL,
    dkim_aligned  boolean NOT NULL,
    spf_aligned   boolean NOT NULL,
    header_from   text    NOT NULL,
    envelope_from text    NULL,
    dkim          text    NULL,
    spf           text    NULL,
    PRIMARY KEY (report, ordinal)
);

CREATE TABLE relaysigner.dmarc_source_days (
    domain       text   NOT NULL,
    day          date   NOT NULL,
    source_ip    inet   NOT NULL,
    messages     bigint NOT NULL,
    dkim_aligned bigint NOT NULL,
    spf_aligned  bigint NOT NULL,
    dmarc_pass   bigint NOT NULL,
    quarantined  bigint NOT NULL,
    rejected     bigint NOT NULL,
    PRIMARY KEY (domain, day, source_ip)
);

CREATE TABLE relaysigner.dmarc_reporter_source_days (
    domain       text   NOT NULL,
    day          date   NOT NULL,
    reporter     text   NOT NULL,
    source_ip    inet   NOT NULL,
    messages     bigint NOT NULL,
    dkim_aligned bigint NOT NULL,
    spf_aligned  bigint NOT NULL,
    dmarc_pass   bigint NOT NULL,
    quarantined  bigint NOT NULL,
    rejected     bigint NOT NULL,
    PRIMARY KEY (domain, day, reporter, source_ip)
);
