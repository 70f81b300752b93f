-- Version 7: the complaint-rate guard's paused bulk domains (Relay:Bulk:PauseAboveComplaintRate). A handful of rows,
-- read whole once a minute by each node's guard, written when a domain is paused or an operator resumes it.
-- resumed_at NULL: paused. Kept apart from the suppression list: it pauses a sender, not a recipient.

CREATE TABLE relaysigner.bulk_pauses (
    domain         text             NOT NULL PRIMARY KEY,
    paused_at      timestamptz      NOT NULL,
    complaint_rate double precision NOT NULL,
    resumed_at     timestamptz      NULL
);
