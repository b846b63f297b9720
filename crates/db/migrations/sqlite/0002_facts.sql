-- What the clustering across distributions knows of each patch (JSON; none for a report
-- pushed without its queue).
ALTER TABLE snapshots ADD COLUMN facts TEXT;
