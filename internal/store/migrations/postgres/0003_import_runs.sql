-- A confirmed import is written in the background; its progress and
-- outcome live with the upload, so that any instance shows them.
ALTER TABLE imports ADD COLUMN run_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN run_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN run_started_at TEXT COLLATE "C";
ALTER TABLE imports ADD COLUMN run_updated_at TEXT COLLATE "C";
ALTER TABLE imports ADD COLUMN run_finished_at TEXT COLLATE "C";
ALTER TABLE imports ADD COLUMN run_result TEXT COLLATE "C" NOT NULL DEFAULT ''; -- JSON importer.Applied
ALTER TABLE imports ADD COLUMN run_failure TEXT COLLATE "C" NOT NULL DEFAULT '';
