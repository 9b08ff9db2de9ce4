-- Events (package event): repair-café sessions and the repair bus's stops,
-- one-off or recurring. The event is kept whole as JSON; the columns are
-- what it is looked up by.
CREATE TABLE events (
    id         TEXT PRIMARY KEY,
    listing_id TEXT REFERENCES listings(id) ON DELETE CASCADE,
    route_id   TEXT NOT NULL DEFAULT '',
    district   TEXT NOT NULL,
    data       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX events_listing ON events (listing_id);
CREATE INDEX events_route ON events (route_id);

-- The repair bus's routes: what the bus takes and its lockers (the stops
-- are events with the route's id).
CREATE TABLE bus_routes (
    id         TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
