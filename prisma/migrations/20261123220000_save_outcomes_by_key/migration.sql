-- Every statement of save_processing_outcomes touches a handful of rows found by key (a batch's
-- deliveries, candidates and their events), but the planner cannot know that: it guesses 100 rows
-- for each jsonb_to_recordset and plans against table statistics that lag far behind a table
-- filling at a thousand deliveries a second. It then chose hash joins over sequential scans of
-- deliveries and candidates, whose cost grows with the tables (measured: the deliveries update
-- took 2.4 ms per batch of 9 after 12,000 deliveries). Within this function, key lookups are
-- always the right plan.
ALTER FUNCTION save_processing_outcomes(jsonb, jsonb, jsonb, jsonb)
  SET enable_seqscan = off
  SET enable_hashjoin = off
  SET enable_mergejoin = off;
