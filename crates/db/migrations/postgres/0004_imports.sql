-- The team's annotations file as the site last imported it: the base of the next import,
-- which takes from the file only what changed there since.
ALTER TABLE distributions ADD COLUMN imported_annotations TEXT;
