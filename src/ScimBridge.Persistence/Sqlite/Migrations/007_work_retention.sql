-- Retention sweeps (Reconciliation:DoneWorkRetention): find done work items by age without scanning the pending ones.
-- Runs are swept through ix_reconcile_runs_started and ix_reconcile_runs_target_started (migration 003).
CREATE INDEX ix_work_items_done_updated ON work_items (updated) WHERE state = 'done';
