package store

import "database/sql"

// DB exposes the connection to tests that check what SQL itself refuses.
func (s *DB) DB() *sql.DB { return s.db.DB }
